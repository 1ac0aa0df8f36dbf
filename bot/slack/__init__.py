"""The Slack app: Bolt wiring, listeners grouped by feature, pure message builders."""
