package dev.tollgate.marketplace.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.uhighlight.DefaultPassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The listings' full-text index, in memory (Lucene on a {@link ByteBuffersDirectory}). {@link #sync} replaces the
 * documents of the listings whose indexed text changed and removes those no longer listed, then makes the changes
 * visible to searches; searches run concurrently with it on the last published searcher. Thread-safe.
 */
public final class ListingIndex implements AutoCloseable {

    /** A listing that matched, with its score. */
    public record Hit(UUID apiId, float score, int doc) {
    }

    private static final String ID = "id";
    private static final String[] HIGHLIGHTED = {SearchQuery.TITLE, SearchQuery.TAGS, SearchQuery.DESCRIPTION};

    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final IndexWriter writer;
    private final SearcherManager searchers;
    /** What each indexed listing's document holds (only touched by {@link #sync}, which is synchronized). */
    private final Map<UUID, String> indexed = new HashMap<>();

    public ListingIndex() {
        try {
            writer = new IndexWriter(directory, new IndexWriterConfig(SearchQuery.ANALYZER));
            searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes the index hold exactly these listings. */
    public synchronized void sync(Collection<Listing> listings) {
        try {
            Set<UUID> gone = new HashSet<>(indexed.keySet());
            boolean changed = false;
            for (Listing listing : listings) {
                gone.remove(listing.apiId());
                String text = listing.indexed();
                if (!text.equals(indexed.get(listing.apiId()))) {
                    writer.updateDocument(new Term(ID, listing.apiId().toString()), document(listing));
                    indexed.put(listing.apiId(), text);
                    changed = true;
                }
            }
            for (UUID id : gone) {
                writer.deleteDocuments(new Term(ID, id.toString()));
                indexed.remove(id);
                changed = true;
            }
            if (changed) {
                searchers.maybeRefreshBlocking();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Document document(Listing listing) {
        Document doc = new Document();
        doc.add(new StringField(ID, listing.apiId().toString(), Field.Store.YES));
        doc.add(new TextField(SearchQuery.TITLE, listing.title(), Field.Store.YES));
        doc.add(new TextField(SearchQuery.TAGS,
                String.join(", ", listing.tags()) + (listing.tags().isEmpty() ? "" : ", ")
                        + listing.category(),
                Field.Store.YES));
        doc.add(new TextField(SearchQuery.DESCRIPTION, listing.description(), Field.Store.YES));
        doc.add(new TextField(SearchQuery.ENDPOINTS, String.join("\n", listing.endpoints()), Field.Store.NO));
        return doc;
    }

    /**
     * The listings that match {@code words}, best first: every word if any listing has them all, else any word. The
     * search holds a searcher until closed, so that its hits can be highlighted.
     */
    public Search search(List<String> words) {
        Search every = search(SearchQuery.everyWord(words));
        if (!every.hits().isEmpty() || words.size() < 2) {
            return every;
        }
        every.close();
        return search(SearchQuery.anyWord(words));
    }

    /** The listings that match the query, best first; close the search when done with its hits. */
    public Search search(Query query) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                TopDocs top = searcher.search(query, Math.max(1, searcher.getIndexReader().numDocs()));
                List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
                for (ScoreDoc hit : top.scoreDocs) {
                    hits.add(new Hit(UUID.fromString(searcher.storedFields().document(hit.doc, Set.of(ID)).get(ID)),
                            hit.score, hit.doc));
                }
                return new Search(searcher, query, hits);
            } catch (IOException | RuntimeException e) {
                searchers.release(searcher);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The hits of one search; {@link #highlights} marks the matched words of some of them. */
    public final class Search implements AutoCloseable {

        private final IndexSearcher searcher;
        private final Query query;
        private final List<Hit> hits;

        private Search(IndexSearcher searcher, Query query, List<Hit> hits) {
            this.searcher = searcher;
            this.query = query;
            this.hits = hits;
        }

        public List<Hit> hits() {
            return hits;
        }

        /**
         * Per hit, per field among title, tags and description that matched: the best passage with the matched words
         * in {@code <mark>} (the text HTML-escaped).
         */
        public Map<UUID, Map<String, String>> highlights(List<Hit> some) {
            if (some.isEmpty()) {
                return Map.of();
            }
            UnifiedHighlighter highlighter = UnifiedHighlighter.builder(searcher, SearchQuery.ANALYZER)
                    .withFormatter(new DefaultPassageFormatter("<mark>", "</mark>", "… ", true))
                    .withMaxNoHighlightPassages(0).build();
            ScoreDoc[] docs = some.stream().map(h -> new ScoreDoc(h.doc(), h.score())).toArray(ScoreDoc[]::new);
            TopDocs top = new TopDocs(new TotalHits(docs.length, TotalHits.Relation.EQUAL_TO), docs);
            try {
                Map<String, String[]> byField = highlighter.highlightFields(HIGHLIGHTED, query, top,
                        new int[]{1, 1, 2});
                Map<UUID, Map<String, String>> result = new HashMap<>();
                for (int i = 0; i < some.size(); i++) {
                    Map<String, String> fields = new LinkedHashMap<>();
                    for (String field : HIGHLIGHTED) {
                        String passage = byField.get(field)[i];
                        if (passage != null) {
                            fields.put(field, passage);
                        }
                    }
                    result.put(some.get(i).apiId(), fields);
                }
                return result;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                searchers.release(searcher);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        searchers.close();
        writer.close();
        directory.close();
    }
}
