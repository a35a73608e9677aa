"""Word segmentation for display text: the helper process that loads the dictionary while a
build reads its sources gives the same words as loading it here, and its failure is no failure."""
from closure_app.layout import segmenter

TEXTS = ["数字赋能县域特色产业高质量发展的路径研究", "基于ChatGPT的高校思政课教学改革研究",
         "《论持久战》中的“人民战争”思想"]


def fresh():
    segmenter._words.cache_clear()


def test_words_join_back_to_the_text():
    for text in TEXTS:
        assert "".join(segmenter.words(text)) == text
    assert segmenter.words("") == []
    assert segmenter.words("特色产业高质量发展") == ["特色产业", "高质量", "发展"]


def test_the_helper_process_gives_the_words_of_the_dictionary_here():
    import rjieba

    fresh()
    saved = segmenter._local
    segmenter._local = None
    try:
        segmenter.prefetch()
        assert segmenter._helper is not None and segmenter._helper.poll() is None
        assert [segmenter.words(t) for t in TEXTS] == [rjieba.cut(t) for t in TEXTS]
        assert segmenter._local is None                 # answered by the helper, nothing loaded here
    finally:
        segmenter._close_helper()
        segmenter._local = saved
        fresh()


def test_a_helper_that_died_is_replaced_by_the_dictionary_here():
    fresh()
    saved = segmenter._local
    segmenter._local = None
    try:
        segmenter.prefetch()
        segmenter._helper.kill()
        segmenter._helper.wait()
        assert segmenter.words(TEXTS[0])[:2] == ["数字", "赋能"]
        assert segmenter._local is not None and segmenter._helper is None
    finally:
        segmenter._close_helper()
        segmenter._local = saved or segmenter._local
        fresh()
