"""streakbot: who is leading the US stock market, answered in Slack."""
