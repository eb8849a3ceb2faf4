"""EIG Bot: answers questions about the Entrepreneurs d'Intérêt Général programme, in French."""
