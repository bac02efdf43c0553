"""Base composition, GC content and k-mers."""

from collections import Counter

COMPLEMENT = str.maketrans("ACGTN", "TGCAN")


def reverse_complement(sequence):
    return sequence.translate(COMPLEMENT)[::-1]


def gc_content(sequence):
    """Share of G and C among the called bases (N is ignored)."""
    called = [b for b in sequence if b != "N"]
    if not called:
        return 0.0
    return sum(b in "GC" for b in called) / len(called)


def kmers(sequence, k):
    """Every overlapping k-mer, left to right; k-mers containing N are skipped."""
    if k < 1:
        raise ValueError("k must be at least 1")
    for start in range(len(sequence) - k):
        word = sequence[start:start + k]
        if "N" not in word:
            yield word


def canonical(kmer):
    """The lexicographically smaller of a k-mer and its reverse complement."""
    return min(kmer, reverse_complement(kmer))


def kmer_counts(sequence, k, both_strands=False):
    words = kmers(sequence, k)
    return Counter(canonical(w) for w in words) if both_strands else Counter(words)
