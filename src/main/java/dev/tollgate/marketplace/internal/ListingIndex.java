package dev.tollgate.marketplace.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.uhighlight.DefaultPassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;

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
        doc.add(new StringField(ID, listing.apiId().toString(), Field.Store.NO));
        // read back per hit from doc values: loading stored fields for thousands of hits costs tens of ms
        doc.add(new BinaryDocValuesField(ID, new BytesRef(bytes(listing.apiId()))));
        doc.add(new TextField(SearchQuery.TITLE, listing.title(), Field.Store.YES));
        doc.add(new TextField(SearchQuery.TAGS,
                String.join(", ", listing.tags()) + (listing.tags().isEmpty() ? "" : ", ")
                        + listing.category(),
                Field.Store.YES));
        doc.add(new TextField(SearchQuery.DESCRIPTION, listing.description(), Field.Store.YES));
        doc.add(new TextField(SearchQuery.ENDPOINTS, String.join("\n", listing.endpoints()), Field.Store.NO));
        return doc;
    }

    /** The listings that match the query, best first; close the search when done with its hits. */
    public Search search(Query query) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                AllHits all = new AllHits();
                searcher.search(query, all);
                List<Hit> hits = hits(searcher, all.sorted());
                return new Search(searcher, query, hits);
            } catch (IOException | RuntimeException e) {
                searchers.release(searcher);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every match with its score (a search wants them all, to filter and count: a top-N queue as large as the index
     * costs more than collecting and sorting the matches).
     */
    private static final class AllHits extends SimpleCollector {

        private int[] docs = new int[256];
        private float[] scores = new float[256];
        private int size;
        private int docBase;
        private Scorable scorer;

        @Override
        protected void doSetNextReader(LeafReaderContext context) {
            docBase = context.docBase;
        }

        @Override
        public void setScorer(Scorable scorer) {
            this.scorer = scorer;
        }

        @Override
        public void collect(int doc) throws IOException {
            if (size == docs.length) {
                docs = Arrays.copyOf(docs, size * 2);
                scores = Arrays.copyOf(scores, size * 2);
            }
            docs[size] = docBase + doc;
            scores[size++] = scorer.score();
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE;
        }

        /** Best first; equal scores in document order. */
        ScoreDoc[] sorted() {
            ScoreDoc[] hits = new ScoreDoc[size];
            for (int i = 0; i < size; i++) {
                hits[i] = new ScoreDoc(docs[i], scores[i]);
            }
            Arrays.sort(hits, (a, b) -> a.score != b.score
                    ? Float.compare(b.score, a.score)
                    : Integer.compare(a.doc,
                            b.doc));
            return hits;
        }
    }

    /** The hits with their listings' ids, best first: doc values are read leaf by leaf, in document order. */
    private static List<Hit> hits(IndexSearcher searcher, ScoreDoc[] scoreDocs) throws IOException {
        ScoreDoc[] byDoc = scoreDocs.clone();
        Arrays.sort(byDoc, Comparator.comparingInt(d -> d.doc));
        Map<Integer, UUID> ids = new HashMap<>(byDoc.length * 2);
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        int leafIndex = -1;
        BinaryDocValues values = null;
        LeafReaderContext leaf = null;
        for (ScoreDoc hit : byDoc) {
            while (leaf == null || hit.doc >= leaf.docBase + leaf.reader().maxDoc()) {
                leaf = leaves.get(++leafIndex);
                values = DocValues.getBinary(leaf.reader(), ID);
            }
            if (!values.advanceExact(hit.doc - leaf.docBase)) {
                throw new IllegalStateException("listing document without an id");
            }
            BytesRef id = values.binaryValue();
            ids.put(hit.doc, uuid(id));
        }
        List<Hit> hits = new ArrayList<>(scoreDocs.length);
        for (ScoreDoc hit : scoreDocs) {
            hits.add(new Hit(ids.get(hit.doc), hit.score, hit.doc));
        }
        return hits;
    }

    private static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .array();
    }

    private static UUID uuid(BytesRef bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes.bytes, bytes.offset, bytes.length);
        return new UUID(buffer.getLong(), buffer.getLong());
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
