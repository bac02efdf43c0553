"""Edit scripts from a longest common subsequence of lines."""


def _lcs_table(a, b):
    """table[i][j]: length of the LCS of a[i:] and b[j:]."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            if a[i] == b[j]:
                table[i][j] = table[i + 1][j + 1] + 1
            else:
                table[i][j] = max(table[i + 1][j], table[i][j + 1])
    return table


def opcodes(a, b):
    """difflib-style (tag, i1, i2, j1, j2) tuples with tags 'equal', 'delete', 'insert' and 'replace'."""
    table = _lcs_table(a, b)
    steps, i, j = [], 0, 0
    while i < len(a) or j < len(b):
        if i < len(a) and j < len(b) and a[i] == b[j]:
            steps.append("=")
            i, j = i + 1, j + 1
        elif j < len(b) and (i == len(a) or table[i][j + 1] >= table[i + 1][j]):
            steps.append("+")
            j += 1
        else:
            steps.append("-")
            i += 1
    codes, i, j, k = [], 0, 0, 0
    while k < len(steps):
        if steps[k] == "=":
            start_i, start_j = i, j
            while k < len(steps) and steps[k] == "=":
                i, j, k = i + 1, j + 1, k + 1
            codes.append(("equal", start_i, i, start_j, j))
            continue
        start_i, start_j = i, j
        while k < len(steps) and steps[k] != "=":
            if steps[k] == "-":
                i += 1
            else:
                j += 1
            k += 1
        tag = "replace" if i > start_i and j > start_j else ("delete" if i > start_i else "insert")
        codes.append((tag, start_i, i, start_j, j))
    return codes
