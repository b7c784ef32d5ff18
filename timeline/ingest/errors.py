"""The one exception the ingest package raises for input it refuses."""


class IngestError(Exception):
    """A source file or manifest that cannot be imported, with a message meant for a human.

    The message names the file and says what is wrong and, where it helps, what to do about it.
    """
