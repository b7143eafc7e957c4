"""Writes the zip archives the archive tests drop, as a careless tool or an attacker would write them.

    make-archive.py KIND PATH

prints, for `overlapping`, the bytes its entries claim and the file's size.
"""
import struct
import sys
import zipfile
import zlib

HEADER = "indicator,region,period,value\n"
GOOD = HEADER + "urbanization_rate,CN-AH,2024,62.57\n"
OTHER = HEADER + "urbanization_rate,CN-HB,2024,65.47\n"
BAD = HEADER + "urbanization_rate,Atlantis,2024,61\n"


def rows(count, period=2020):
    return HEADER + "".join(f"urbanization_rate,CN-AH,{period},{58 + i % 100 / 100:.2f}\n" for i in range(count))


def overlapping(path, copies=40):
    """One deflated member listed `copies` times in the central directory, every entry at the same offset."""
    data = rows(25_000).encode()
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = deflate.compress(data) + deflate.flush()
    crc = zlib.crc32(data)
    name = b"big.csv"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(packed), len(data), len(name), 0)
    local += name + packed
    directory = b""
    for i in range(copies):
        member = b"copy%02d.csv" % i
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(packed), len(data), len(member),
            0, 0, 0, 0, 0, 0) + member
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, copies, copies, len(directory), len(local), 0)
    whole = local + directory + end
    with open(path, "wb") as out:
        out.write(whole)
    print(copies * (30 + len(packed)), len(whole))


def together(path):
    """Three honest members of about 400 KB each: under 1 MiB apiece, not together."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for number, period in enumerate((2020, 2021, 2022), start=1):
            z.writestr(f"part{number}.csv", rows(11_000, period))


def bigone(path):
    """A good member first, then one past 1 MiB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("first-good.csv", GOOD)
        z.writestr("big.csv", rows(60_000))


def lying(path):
    """A good member first, then one whose entries declare 64 bytes and which inflates to 70 KB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("first-good.csv", GOOD)
        z.writestr("liar.csv", rows(2_000))
    data = bytearray(open(path, "rb").read())
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + length] == b"liar.csv":
            struct.pack_into("<I", data, at + 24, 64)
            local = struct.unpack_from("<I", data, at + 42)[0]
            struct.pack_into("<I", data, local + 22, 64)
        at += 4
    open(path, "wb").write(bytes(data))


def longname(path):
    """A good member first, then one whose name is 300 characters long."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("first-good.csv", GOOD)
        z.writestr("n" * 296 + ".csv", OTHER)


def many(path):
    """Six small members."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for number in range(1, 7):
            z.writestr(f"m{number}.csv", GOOD)


def links(path):
    """A good member and a symbolic link named like a CSV file."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("first-good.csv", GOOD)
        info = zipfile.ZipInfo("shadow.csv")
        info.create_system = 3
        info.external_attr = 0o120777 << 16
        z.writestr(info, "/etc/shadow")


def three(path):
    """Three members, the second one rejected (an unknown region)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a-good.csv", GOOD)
        z.writestr("b-bad.csv", BAD)
        z.writestr("c-good.csv", OTHER)


KINDS = {f.__name__: f for f in (overlapping, together, bigone, lying, longname, many, links, three)}

if __name__ == "__main__":
    KINDS[sys.argv[1]](sys.argv[2])
