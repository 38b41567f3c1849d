package dev.tollgate.portal.web;

import java.util.Comparator;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.tollgate.accounts.UserView;
import dev.tollgate.keys.ApiKeys;
import dev.tollgate.marketplace.ListingView;
import dev.tollgate.marketplace.Marketplace;
import dev.tollgate.models.ModelCatalogue;

/**
 * {@code /models}: the AI models anyone can call through {@code /v1} (the enabled ones of the model catalogue), with
 * their prices per million tokens, and how to point the OpenAI and Anthropic SDKs at Tollgate. Keys are stored
 * hashed, so the snippets hold a placeholder; a signed-in user sees the prefixes of their keys to pick one.
 */
@Path("/models")
@PortalPage
@Produces("text/html")
class MarketplaceModelsPages {

    static final String KEY_PLACEHOLDER = "YOUR_TOLLGATE_KEY";

    private final Pages pages;
    private final ModelCatalogue catalogue;
    private final Marketplace marketplace;
    private final ApiKeys keys;

    MarketplaceModelsPages(Pages pages, ModelCatalogue catalogue, Marketplace marketplace, ApiKeys keys) {
        this.pages = pages;
        this.catalogue = catalogue;
        this.marketplace = marketplace;
        this.keys = keys;
    }

    /** A model as the table shows it; {@code slug} is its marketplace listing (null when not listed). */
    record ModelRow(String id, String name, String type, List<String> providers, String input, String output,
            String cached, String maxOutput, String slug, String rating) {
    }

    /** A key of the signed-in user, by its prefix and name (the secret itself is never stored). */
    record KeyHint(String prefix, String name) {
    }

    @GET
    public Response models(@Context UriInfo uri) {
        String origin = MarketplacePages.origin(uri);
        List<ModelRow> models = catalogue.enabled().stream()
                .sorted(Comparator.comparing((ModelCatalogue.Listed m) -> m.entry().id()))
                .map(this::row).toList();
        UserView me = pages.signedInUser();
        List<KeyHint> mine = me == null
                ? List.of()
                : keys.mine(me.id(), false).stream().map(k -> new KeyHint(k.prefix(), k.name())).toList();
        String example = models.stream().filter(m -> "chat".equals(m.type())).map(ModelRow::id).findFirst()
                .orElse(models.isEmpty() ? "MODEL_NAME" : models.get(0).id());
        List<MarketplacePages.Snippet> snippets = snippets(origin, example);
        return pages.html("marketplace_models", "models", models, "keys", mine, "snippets", snippets, "origin", origin,
                "placeholder", KEY_PLACEHOLDER);
    }

    private ModelRow row(ModelCatalogue.Listed listed) {
        ModelCatalogue.Entry m = listed.entry();
        ListingView listing = marketplace.shown(listed.id()).orElse(null);
        return new ModelRow(m.id(), m.displayName() == null ? m.id() : m.displayName(), m.modelType(),
                m.providers(), MarketplaceText.money(m.pricing().inputPerMillion()),
                MarketplaceText.money(m.pricing().outputPerMillion()),
                m.pricing().cachedInputPerMillion() == null
                        ? "as input"
                        : MarketplaceText.money(m.pricing().cachedInputPerMillion()),
                m.maxOutputTokens() == null ? "—" : MarketplaceText.count(m.maxOutputTokens()),
                listing == null ? null : listing.slug(),
                listing == null || listing.rating() == null
                        ? null
                        : listing.rating().setScale(1, java.math.RoundingMode.HALF_UP).toPlainString());
    }

    /** SDK configuration with the key placeholder: OpenAI (Python, JS) on {@code /v1}, Anthropic on the origin. */
    static List<MarketplacePages.Snippet> snippets(String origin, String model) {
        String key = KEY_PLACEHOLDER;
        return List.of(
                new MarketplacePages.Snippet("sdk-openai-python", "OpenAI SDK for Python", "python", """
                        from openai import OpenAI

                        client = OpenAI(base_url="%s/v1", api_key="%s")
                        reply = client.chat.completions.create(
                            model="%s", messages=[{"role": "user", "content": "Hello!"}])
                        print(reply.choices[0].message.content)""".formatted(origin, key, model)),
                new MarketplacePages.Snippet("sdk-openai-js", "OpenAI SDK for JavaScript", "javascript", """
                        import OpenAI from "openai";

                        const client = new OpenAI({ baseURL: "%s/v1", apiKey: "%s" });
                        const reply = await client.chat.completions.create({
                          model: "%s", messages: [{ role: "user", content: "Hello!" }],
                        });
                        console.log(reply.choices[0].message.content);""".formatted(origin, key, model)),
                new MarketplacePages.Snippet("sdk-anthropic-python", "Anthropic SDK for Python", "python", """
                        import anthropic

                        client = anthropic.Anthropic(base_url="%s", api_key="%s")
                        reply = client.messages.create(model="%s", max_tokens=256,
                                                       messages=[{"role": "user", "content": "Hello!"}])
                        print(reply.content[0].text)""".formatted(origin, key, model)),
                new MarketplacePages.Snippet("sdk-anthropic-js", "Anthropic SDK for JavaScript", "javascript", """
                        import Anthropic from "@anthropic-ai/sdk";

                        const client = new Anthropic({ baseURL: "%s", apiKey: "%s" });
                        const reply = await client.messages.create({
                          model: "%s", max_tokens: 256, messages: [{ role: "user", content: "Hello!" }],
                        });
                        console.log(reply.content[0].text);""".formatted(origin, key, model)),
                new MarketplacePages.Snippet("sdk-curl", "curl", "curl", """
                        curl %s/v1/chat/completions \\
                          -H "Authorization: Bearer %s" -H "Content-Type: application/json" \\
                          -d '{"model": "%s", "messages": [{"role": "user", "content": "Hello!"}]}'"""
                        .formatted(origin, key, model)));
    }
}
