class InputError(ValueError):
    """A request with a bad value. The message is for the person who sent it: it says what
    was wrong and what is allowed, and nothing was saved."""
