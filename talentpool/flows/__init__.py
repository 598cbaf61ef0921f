"""The business flows: each orchestrates the entity services and queues the side effects.

The domain has one direction: core -> geo -> skills -> candidates -> openings -> consent ->
search -> matching -> messaging -> webhooks -> rights -> flows. Entity services write their own
rows and audit them; a flow says what follows (indexing, matching, messages, webhooks). The
interfaces (admin, API, candidate pages, tasks, commands, ATS adapters) call flows or services.
"""
