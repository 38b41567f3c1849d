package dev.tollgate.marketplace.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.automaton.CompiledAutomaton;
import org.apache.lucene.util.automaton.LevenshteinAutomata;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A search box's text as a Lucene query over the fields of a listing (or of a user's own things): each word matches
 * exactly, as the start of a word (prefix, from 2 characters) or with one typo (from 4 characters), in the title
 * (weight 3), the tags and category (2), the description (1) or the endpoints' summaries (1); the best field of each
 * word counts. {@link #everyWord} asks for all words, {@link #anyWord} for at least one.
 */
public final class SearchQuery {

    public static final String TITLE = "title";
    public static final String TAGS = "tags";
    public static final String DESCRIPTION = "description";
    public static final String ENDPOINTS = "endpoints";
    /** Fields and their weights. */
    static final Map<String, Float> FIELDS = Map.of(TITLE, 3f, TAGS, 2f, DESCRIPTION, 1f, ENDPOINTS, 1f);
    private static final float PREFIX = 0.8f;
    private static final float TYPO = 0.5f;
    /** Words longer than this are cut (they cannot be meant as words), and at most this many words count. */
    private static final int MAX_WORD = 40;
    private static final int MAX_WORDS = 12;

    /** Lower-cases, splits on Unicode word boundaries, drops English stop words ("the", "for", …). */
    public static final Analyzer ANALYZER = new StandardAnalyzer(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);

    private SearchQuery() {
    }

    /** The words of the text as the index holds them; empty when nothing is left to search for. */
    public static List<String> words(String text) {
        Set<String> words = new LinkedHashSet<>();
        try (TokenStream tokens = ANALYZER.tokenStream(TITLE, text)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken() && words.size() < MAX_WORDS) {
                String word = term.toString();
                words.add(word.length() > MAX_WORD ? word.substring(0, MAX_WORD) : word);
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does not fail
        }
        return List.copyOf(words);
    }

    public static Query everyWord(List<String> words) {
        return combine(words, Occur.MUST);
    }

    public static Query anyWord(List<String> words) {
        return combine(words, Occur.SHOULD);
    }

    private static Query combine(List<String> words, Occur occur) {
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        for (String word : words) {
            query.add(word(word), occur);
        }
        if (occur == Occur.SHOULD) {
            query.setMinimumNumberShouldMatch(1);
        }
        return query.build();
    }

    /**
     * The words one typo away from {@code word} (one letter added, missing, changed, or two swapped; not the first),
     * compiled once per word and field-independent, so a search builds no automaton for a word seen before (building
     * one per field and search was the largest part of a search's time).
     */
    private static final Cache<String, CompiledAutomaton> TYPOS = Caffeine.newBuilder().maximumSize(10_000).build();

    static CompiledAutomaton typos(String word) {
        return TYPOS.get(word, w -> new CompiledAutomaton(
                new LevenshteinAutomata(w.substring(1), true).toAutomaton(1, w.substring(0, 1)), true, false));
    }

    private static Query word(String word) {
        List<Query> variants = new ArrayList<>();
        FIELDS.forEach((field, weight) -> {
            Term term = new Term(field, word);
            variants.add(new BoostQuery(new TermQuery(term), weight));
            if (word.length() >= 2) {
                variants.add(new BoostQuery(new PrefixQuery(term), weight * PREFIX));
            }
            if (word.length() >= 4) {
                variants.add(new BoostQuery(new TypoQuery(term, typos(word)), weight * TYPO));
            }
        });
        return new DisjunctionMaxQuery(variants, 0.1f);
    }
}
