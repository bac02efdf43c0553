"""Sanity checks run at start-up."""


def check_port(port):
    if not 1 <= port <= 65535:
        return f"port {port} out of range"
    if port < 1024:
        return f"port {port} needs root"
    return None


def check_workers(workers, cpus):
    if workers > 4 * cpus:
        return f"{workers} workers for {cpus} CPUs is too many"
    return None


def problems(values, cpus=2):
    found = [check_port(values["port"]), check_workers(values["workers"], cpus)]
    if values["debug"] and not values["secret_key"]:
        found.append("debug mode without a secret key")
    return [p for p in found if p]
