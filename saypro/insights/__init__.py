"""Feedback insights: sentiment, themes, suggestions, emerging topics, rising issues."""
