"""Peak memory of the running process, shared by the Python peers."""
import resource


def peak_mib():
    """VmHWM, which starts afresh at exec (ru_maxrss may carry the parent's peak)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
