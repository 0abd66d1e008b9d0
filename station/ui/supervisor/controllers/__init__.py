"""The supervisor's controllers: logic and database jobs, no layout (views are apart)."""
