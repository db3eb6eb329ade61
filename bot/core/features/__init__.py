"""The features behind the commands; each returns a Reply."""
