"""The pages of the Sasaran Mutu, one module per family of pages."""
