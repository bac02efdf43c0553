"""A forgiving FASTA reader."""

from dataclasses import dataclass

VALID = set("ACGTN")


class FastaError(ValueError):
    pass


@dataclass(frozen=True)
class Record:
    id: str
    description: str
    sequence: str

    def __len__(self):
        return len(self.sequence)


def read_fasta(text):
    """Records from FASTA text; sequence lines are joined and upper-cased, blank lines and ';' comments skipped."""
    records, header, chunks = [], None, []

    def flush():
        if header is not None:
            ident, _, description = header.partition(" ")
            records.append(Record(ident, description.strip(), "".join(chunks)))

    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith(";"):
            continue
        if line.startswith(">"):
            flush()
            header, chunks = line[1:].strip(), []
            continue
        if header is None:
            raise FastaError(f"line {number}: sequence data before the first header")
        sequence = line.upper()
        bad = set(sequence) - VALID
        if bad:
            raise FastaError(f"line {number}: unexpected characters {''.join(sorted(bad))}")
        chunks.append(sequence)
    flush()
    return records
