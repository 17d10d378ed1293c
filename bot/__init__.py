"""article-digest's Discord side: turns Digests into replies; knows nothing of HTML or tensors."""
