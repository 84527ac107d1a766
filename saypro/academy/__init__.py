"""The Seller Academy: courses of lessons, quizzes and coach-graded practice, certificates."""
