"""Scripts rewrite their own block of a document and leave the rest byte for byte."""

from rnnlab.report import with_block

DOC = "# Results\n\nintro\n\n<!-- begin a -->\nold\n<!-- end a -->\n\nReading it, by hand.\n"


def test_rewriting_a_block_keeps_the_hand_written_text_after_it_as_it_was():
    rewritten = with_block(DOC, "a", "new")
    assert rewritten == DOC.replace("old", "new")
    assert with_block(rewritten, "a", "old") == DOC  # and back: nothing drifts


def test_a_missing_block_is_appended_after_a_blank_line():
    assert (
        with_block("# Results\n", "b", "x") == "# Results\n\n<!-- begin b -->\nx\n<!-- end b -->\n"
    )
