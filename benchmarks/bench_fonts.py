"""Font work of a build of the sample: scan the font folders, resolve every family, parse
(or unpickle) each font with reportlab, and check every character of both documents.

"cold" starts from an empty cache (first build on a machine); "warm" is a new process with
the cache from an earlier build: the state the issue's 0.2 s budget is about.
"""
from __future__ import annotations

import os
import tempfile

from run import ROOT, Stage

from closure_app.fonts import load_fontset, parsed
from closure_app.fonts.coverage import passages


def sample_documents():
    from closure_app.layout import documents
    from closure_app.profile import load_profile
    from closure_app.sources import chosen

    profile = load_profile()
    os.chdir(ROOT)
    return profile, [doc for _, doc in documents(profile, *chosen(None, None))]


def font_work(profile, documents) -> None:
    """What a build does with fonts: resolve, register, check coverage (which loads fallbacks)."""
    parsed._REGISTERED.clear()   # a new process, as far as this process can pretend
    parsed._CHARSETS.clear()
    fs = load_fontset(profile)
    for family in profile.families():
        fs.reportlab_font(family)
    for doc in documents:
        fs.coverage_report(doc)


def cold_setup():
    return sample_documents()


def with_cache(cache_dir: str, work, *args) -> None:
    """Run ``work`` with the font cache in ``cache_dir``; the stages after keep their own."""
    before = os.environ.get("CLOSURE_APP_CACHE_DIR")
    os.environ["CLOSURE_APP_CACHE_DIR"] = cache_dir
    try:
        work(*args)
    finally:
        if before is None:
            del os.environ["CLOSURE_APP_CACHE_DIR"]
        else:
            os.environ["CLOSURE_APP_CACHE_DIR"] = before


def cold(arg) -> None:
    with_cache(tempfile.mkdtemp(prefix="closure-font-cold-"), font_work, *arg)


def warm_setup():
    cache_dir = tempfile.mkdtemp(prefix="closure-font-warm-")
    arg = sample_documents()
    with_cache(cache_dir, font_work, *arg)   # fills the cache, untimed
    return cache_dir, arg


def warm(arg) -> None:
    cache_dir, documents = arg
    with_cache(cache_dir, font_work, *documents)


def split_setup():
    _, (profile, documents) = warm_setup()
    fs = load_fontset(profile)
    return fs, [(p.text, profile.role(p.role).family) for d in documents for p in passages(d, profile.roles)]


def split(arg) -> None:
    fs, texts = arg
    for text, family in texts:
        fs.split_by_coverage(text, family)


STAGES = [
    Stage("fonts: cold (empty cache: scan + parse)", cold, setup=cold_setup, repeat=3),
    Stage("fonts: warm (new process, cached scan + pickles)", warm, setup=warm_setup,
          baseline="fonts: cold (empty cache: scan + parse)",
          note="issue 3 budget: < 200 ms for the sample"),
    Stage("fonts: split every text of the sample into font runs", split, setup=split_setup,
          note="what the PDF back end asks of the fonts while setting the text"),
]
