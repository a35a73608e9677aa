"""The reference: a short plain-pypdf saddle-stitch imposition, each A4 page a Form XObject,
two to an A3 sheet. ``impose`` of closure-app should beat it as a process.

    python benchmarks/pypdf_xobject_impose.py IN.pdf OUT.pdf
"""
import sys

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject

A3 = (1190.55, 841.89)


def order(n):
    """Saddle-stitch sides: (left, right) page numbers, None for a blank."""
    total = (n + 3) // 4 * 4
    sides = []
    for k in range(total // 4):
        sides.append((total - 2 * k, 2 * k + 1))
        sides.append((2 * k + 2, total - 2 * k - 1))
    return [tuple(p if p <= n else None for p in side) for side in sides]


def as_xobject(writer, page):
    form = DecodedStreamObject()
    contents = page.get_contents()     # a ContentStream is falsy (an empty dict): test for None
    form.set_data(contents.get_data() if contents is not None else b"")
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([FloatObject(v) for v in page.mediabox]),
        NameObject("/Resources"): page["/Resources"].clone(writer),
    })
    return writer._add_object(form)


def main(src, dst):
    reader = PdfReader(src)
    writer = PdfWriter()
    forms = {}
    for left, right in order(len(reader.pages)):
        sheet = writer.add_blank_page(*A3)
        names, ops = DictionaryObject(), []
        for slot, number in enumerate((left, right)):
            if number is None:
                continue
            if number not in forms:
                forms[number] = as_xobject(writer, reader.pages[number - 1])
            name = f"/P{number}"
            names[NameObject(name)] = forms[number]
            ops.append(f"q 1 0 0 1 {slot * A3[0] / 2:.2f} 0 cm {name} Do Q")
        content = DecodedStreamObject()
        content.set_data(" ".join(ops).encode())
        sheet[NameObject("/Contents")] = writer._add_object(content)
        sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): names})
    writer.compress_identical_objects()
    with open(dst, "wb") as fh:
        writer.write(fh)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
