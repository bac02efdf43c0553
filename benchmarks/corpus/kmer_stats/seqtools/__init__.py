"""Small DNA sequence utilities: FASTA reading, composition and k-mer statistics."""
