"""The supervisor's views: layout and translated texts only; logic is in the controllers."""
