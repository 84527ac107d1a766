"""Improvement action plans: from customer feedback to a shipped change and its measured impact."""
