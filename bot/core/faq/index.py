"""What the matcher knows of its entries, built once: BM25 tables and per-entry features.

The BM25 index (bm25.py) over each entry's question, phrasings and keywords, with what refines
a score (intents, title, scope, own texts, the first clause's settled act) kept per entry in
lists indexed like the BM25 documents, and which entries an organisation sees.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from bot.core.faq.bm25 import Bm25Index
from bot.core.faq.documents import EntryText, entry_document, verbatim_key
from bot.core.faq.kb import FaqEntry
from bot.core.faq.tokenizer import analyse, domain_words
from bot.core.faq.wording import own_wordings

# Words that narrow an entry to one kind of organisation (design.md's domains): an entry about
# 机关 or 村 suits a question that names it and yields to the general entry otherwise.
SCOPES = frozenset(
    {"机关", "国有企业", "国企", "村", "农村", "社区", "学校", "高校", "企业", "民营企业"}
    | {"社会组织", "两新组织", "非公有制经济组织"}
)
# Weight of a question word the base has never seen, as a share of the rarest term's weight.
OOV_WORD = 0.6
OOV_CHAR = 0.25
OOV_NUMBER = 0.1
AMBIGUOUS = -1
_NO_SCOPE: frozenset[str] = frozenset()


class FaqIndex:
    """An index over a set of entries (shipped ones with org_id None, and organisations')."""

    def __init__(self, entries: Iterable[FaqEntry], *, reuse: FaqIndex | None = None) -> None:
        """Index ``entries``; with ``reuse``, entries it has analysed are not analysed again."""
        self.entries = tuple(entries)
        known: dict[FaqEntry, EntryText] = reuse.documents if reuse is not None else {}
        self.documents: dict[FaqEntry, EntryText] = {
            e: known.get(e) or entry_document(e) for e in self.entries
        }
        documents = [self.documents[entry] for entry in self.entries]
        self.bm25 = Bm25Index([Counter(d.terms) for d in documents])
        self.intents = [d.intents for d in documents]
        self.scopes = [SCOPES.intersection(d.title) or _NO_SCOPE for d in documents]
        self.titles = [d.title for d in documents]
        self.title_parts = {d: x.title_parts for d, x in enumerate(documents) if x.title_parts}
        self.settled = [d.settled for d in documents]
        self.texts = [d.texts for d in documents]
        self.wordings = [d.verbatim for d in documents]
        # Made ready for the wording similarity on first use (only the best few entries of a
        # question are compared): nothing to build up front, little kept.
        self._ready_wordings: dict[int, tuple[tuple[str, int], ...]] = {}
        weight = self.bm25.max_weight
        # Each own text's total weight, once: the similarity's denominator.
        self.text_weights = [
            tuple(sum(weight.get(t, 0.0) for t in text) for text in d.texts) for d in documents
        ]
        # Text as written -> the entry that has it; AMBIGUOUS when several entries do.
        self.verbatim: dict[str, int] = {}
        for doc_id, document in enumerate(documents):
            for text in document.verbatim:
                if self.verbatim.setdefault(text, doc_id) != doc_id:
                    self.verbatim[text] = AMBIGUOUS
        # Kept for the few entries whose texts negate an act (most have none).
        self.negations = {d: doc.negated for d, doc in enumerate(documents) if doc.negated}
        self.rarest = max(self.bm25.idf.values(), default=1.0)
        self.org_terms: dict[int, set[str]] = {}
        self.org_entry_ids: dict[int, set[str]] = {}
        for entry in self.entries:
            if entry.org_id is not None:
                terms = {t for k in entry.keywords for t in analyse(k).terms}
                self.org_terms.setdefault(entry.org_id, set()).update(terms)
                self.org_entry_ids.setdefault(entry.org_id, set()).add(entry.id)
        self.org_ids = frozenset(self.org_terms)

    def is_org(self, doc_id: int) -> bool:
        """Whether the entry is an organisation's own (not a shipped one)."""
        return self.entries[doc_id].org_id is not None

    def mentions(self, term: str, doc_id: int) -> bool:
        """Whether a term is in the entry's question, phrasings or keywords."""
        return self.bm25.weight(term, doc_id) > 0

    def term_weight(self, term: str) -> float:
        """How much a question term counts: the best weight any entry gives it, or a share
        of the rarest term's for a word the base has never seen."""
        known = self.bm25.max_weight.get(term)
        if known is not None:
            return known
        if term.isdigit():
            return OOV_NUMBER * self.rarest
        return (OOV_CHAR if len(term) == 1 else OOV_WORD) * self.rarest

    def total_weight(self, terms: dict[str, float]) -> float:
        """The question's whole term weight (the denominator of every coverage)."""
        return sum(self.term_weight(t) * factor for t, factor in terms.items())

    def has_anchor(self, terms: dict[str, float], org_ids: frozenset[int]) -> bool:
        """Whether the question names a Party-work term (or one of its organisations')."""
        anchors = domain_words().anchors
        org_terms = [self.org_terms.get(org, set()) for org in org_ids]
        return any(
            t in anchors or "党" in t or any(t in extra for extra in org_terms) for t in terms
        )

    def hidden(self, org_ids: frozenset[int]) -> Callable[[int], bool]:
        """Whether an entry is out of view for a group of these organisations."""
        if not self.org_ids:
            return lambda _doc_id: False
        overridden = set().union(*(self.org_entry_ids.get(org, ()) for org in org_ids))

        def hidden(doc_id: int) -> bool:
            entry = self.entries[doc_id]
            if entry.org_id is None:
                return entry.id in overridden
            return entry.org_id not in org_ids

        return hidden

    def own_wordings(self, doc_id: int) -> tuple[tuple[str, int], ...]:
        """The entry's own texts as written, ready for wording.closest_wording."""
        ready = self._ready_wordings.get(doc_id)
        if ready is None:
            ready = self._ready_wordings[doc_id] = own_wordings(self.wordings[doc_id])
        return ready

    def verbatim_entry(self, normalised: str, org_ids: frozenset[int]) -> int | None:
        """The one visible entry that has the question word for word among its own texts,
        or None (none, or several: an organisation's version of it included)."""
        found = self.verbatim.get(verbatim_key(normalised), AMBIGUOUS)
        if found == AMBIGUOUS or self.hidden(org_ids)(found):
            return None
        return found

    def title_cover(self, doc_id: int, terms: dict[str, float]) -> float:
        """Share of the entry's own question (by idf) that the asked question mentions; of
        the part it echoes best, when the own question asks two things."""
        whole = self._cover(self.titles[doc_id], terms)
        parts = self.title_parts.get(doc_id, ())
        return max(whole, *(self._cover(part, terms) for part in parts)) if parts else whole

    def _cover(self, title: dict[str, float], terms: dict[str, float]) -> float:
        idf = self.bm25.idf
        total = covered = 0.0
        for term, share in title.items():
            weight = share * idf.get(term, 0.0)
            total += weight
            if term in terms:
                covered += weight
        return covered / total if total else 1.0
