"""Find the first failing build in a range of CI builds, git-bisect style."""
