"""The peer of `digest bounces read`: Mailman's flufl.bounce reading the
same Maildir (parse and detect only: no attribution, nothing recorded).

python3 bounces_peer.py MAILDIR   prints "N reports, M addresses"
"""

import email
import pathlib
import sys

from flufl.bounce import all_failures

folder = pathlib.Path(sys.argv[1])
reports = 0
addresses = set()
for path in sorted(folder.glob("new/*")) + sorted(folder.glob("cur/*")):
    with open(path, "rb") as handle:
        message = email.message_from_binary_file(handle)
    temporary, permanent = all_failures(message)
    if temporary or permanent:
        reports += 1
    addresses |= permanent
print("%d reports, %d addresses" % (reports, len(addresses)))
