"""Password policies for the sign-up form."""
