package dev.tollgate.marketplace.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ListingIndexTest {

    private static Listing listing(String title, List<String> tags, String category, String description) {
        return new Listing(UUID.randomUUID(), Listing.API, title.toLowerCase().replace(' ', '-'), title, description,
                category, tags, null, null, UUID.randomUUID(), "provider", "1.0", Instant.EPOCH, List.of(), null,
                BigDecimal.ZERO, List.of("free"), 0, 0, 0, false, List.of());
    }

    @Test
    void typos_are_found_and_marked_in_every_field_they_match() {
        Listing weather = listing("Weather", List.of("forecast", "climate"), "weather", "Forecasts & <b>more</b>");
        Listing other = listing("Tides", List.of("sea"), "ocean", "High and low water");
        try (ListingIndex index = new ListingIndex()) {
            index.sync(List.of(weather, other));
            List<String> words = SearchQuery.words("wether forcast");
            try (ListingIndex.Search search = index.search(SearchQuery.everyWord(words))) {
                assertThat(search.hits()).extracting(ListingIndex.Hit::apiId).containsExactly(weather.apiId());
                Map<String, String> marked = search.highlights(search.hits()).get(weather.apiId());
                assertThat(marked).containsEntry("title", "<mark>Weather</mark>")
                        .containsEntry("tags", "<mark>forecast</mark>, climate, <mark>weather</mark>");
            }
            try (ListingIndex.Search search = index.search(SearchQuery.everyWord(SearchQuery.words("more")))) {
                assertThat(search.highlights(search.hits()).get(weather.apiId()).get("description"))
                        .isEqualTo("Forecasts &amp; &lt;b&gt;<mark>more</mark>&lt;&#x2F;b&gt;");
            }
            index.sync(List.of(other));
            try (ListingIndex.Search search = index.search(SearchQuery.everyWord(words))) {
                assertThat(search.hits()).isEmpty();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
