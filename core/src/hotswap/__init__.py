"""hotswap: one interface to every LLM provider, and failover when one of them fails."""
