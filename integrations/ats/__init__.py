"""ATS adapters: what Greenhouse, Lever, Teamtailor and Workable post, turned into our services."""
