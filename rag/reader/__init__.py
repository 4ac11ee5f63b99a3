"""The reader: from retrieved passages to an answer, or a refusal."""
