import pytest

from seqtools.composition import canonical, gc_content, kmer_counts, kmers, reverse_complement
from seqtools.fasta import FastaError, read_fasta
from seqtools.report import render, summary, top_kmers

FASTA = """; sample run 7
>chr1 first contig
ACGTAC
gtacgt

>chr2
NNGGCC
>chr3 short
AT
"""


def test_read_fasta():
    records = read_fasta(FASTA)
    assert [(r.id, r.description, r.sequence) for r in records] == [
        ("chr1", "first contig", "ACGTACGTACGT"), ("chr2", "", "NNGGCC"), ("chr3", "short", "AT")]


def test_sequence_before_header():
    with pytest.raises(FastaError, match="line 1"):
        read_fasta("ACGT\n>x\nACGT")


def test_bad_characters():
    with pytest.raises(FastaError, match="line 3: unexpected characters XZ"):
        read_fasta(">x\nACGT\nACXZ")


def test_reverse_complement():
    assert reverse_complement("AACGTN") == "NACGTT"


def test_gc_content_ignores_n():
    assert gc_content("NNGGCC") == 1.0
    assert gc_content("ATGC") == 0.5
    assert gc_content("NNN") == 0.0


def test_kmers_overlapping():
    assert list(kmers("ACGTA", 3)) == ["ACG", "CGT", "GTA"]


def test_kmers_skip_n():
    assert list(kmers("ACNGTA", 2)) == ["AC", "GT", "TA"]


def test_kmers_longer_than_sequence():
    assert list(kmers("AC", 3)) == []
    with pytest.raises(ValueError):
        list(kmers("ACGT", 0))


def test_canonical_counts():
    counts = kmer_counts("AAACCCTTT", 3, both_strands=True)
    assert counts["AAA"] == 2 and "TTT" not in counts
    assert canonical("GGT") == "ACC"


def test_top_kmers():
    assert top_kmers("ACGTACGTACGT", 4, n=2) == [("ACGT", 3), ("CGTA", 2)]


def test_summary_table():
    text = render(summary(read_fasta(FASTA)))
    assert text.splitlines() == [
        "id         length   gc%  top",
        "chr1           12  50.0  ACGx3",
        "chr2            6 100.0  GCCx1",
        "chr3            2   0.0  -",
    ]
