"""Seller Academy: courses, lessons, quizzes and the knowledge base."""
