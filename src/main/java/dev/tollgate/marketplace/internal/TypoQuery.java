package dev.tollgate.marketplace.internal;

import java.io.IOException;

import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.AttributeSource;
import org.apache.lucene.util.automaton.CompiledAutomaton;

/**
 * The terms of one field that a precompiled automaton accepts (the words one typo away from a search word), each
 * match scoring the query's boost. Like Lucene's {@code FuzzyQuery} with one edit, but the automaton is built once
 * per word and shared by every field and search instead of built for each.
 */
final class TypoQuery extends MultiTermQuery {

    private final Term term;
    private final CompiledAutomaton automaton;

    TypoQuery(Term term, CompiledAutomaton automaton) {
        super(term.field(), CONSTANT_SCORE_BLENDED_REWRITE);
        this.term = term;
        this.automaton = automaton;
    }

    @Override
    protected TermsEnum getTermsEnum(Terms terms, AttributeSource atts) throws IOException {
        return automaton.getTermsEnum(terms);
    }

    @Override
    public void visit(QueryVisitor visitor) {
        if (visitor.acceptField(field)) {
            visitor.consumeTermsMatching(this, field, () -> automaton.runAutomaton);
        }
    }

    @Override
    public String toString(String field) {
        return (this.field.equals(field) ? "" : this.field + ":") + term.text() + "~1";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TypoQuery typo && typo.term.equals(term);
    }

    @Override
    public int hashCode() {
        return term.hashCode();
    }
}
