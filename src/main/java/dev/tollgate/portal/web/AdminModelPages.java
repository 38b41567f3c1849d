package dev.tollgate.portal.web;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import dev.tollgate.accounts.Role;
import dev.tollgate.accounts.UserView;
import dev.tollgate.billing.Ledger;
import dev.tollgate.models.AiModels;
import dev.tollgate.models.AiModels.ChannelDraft;
import dev.tollgate.models.AiModels.ModelDraft;
import dev.tollgate.models.AiModels.PricingDraft;
import dev.tollgate.models.ModelChannels;
import dev.tollgate.models.ModelView;
import dev.tollgate.platform.ProblemException;
import io.quarkus.qute.TemplateInstance;

/**
 * The admin's AI models: the list with prices per million tokens, a form to offer a new model with its first
 * channel, and per model its settings and channels (vendor, base URL, health on this node). A channel's API key is
 * write-only: forms take it, pages never show it (only whether one is stored), and a form shown again after an error
 * leaves it empty.
 */
@Path("/admin/models")
@PortalPage
@Produces("text/html")
class AdminModelPages {

    static final int MODELS_SHOWN = 200;
    static final List<String> VENDORS = List.of("openai", "anthropic", "openai_compatible");

    private final Pages pages;
    private final AiModels models;
    private final ModelChannels channels;
    private final Ledger ledger;

    AdminModelPages(Pages pages, AiModels models, ModelChannels channels, Ledger ledger) {
        this.pages = pages;
        this.models = models;
        this.channels = channels;
        this.ledger = ledger;
    }

    /** A model in the list, prices formatted. */
    record ModelRow(ModelView model, String input, String output, int channels) {
    }

    /** The new-model form as typed (never the API key). */
    record NewModel(String name, String displayName, String modelType, String input, String output, String vendor,
            String baseUrl, String upstreamModel) {
    }

    @GET
    public Response list() {
        pages.user(Role.ADMIN);
        return pages.html(listPage(new NewModel("", "", "chat", "", "", "openai", "", ""), null));
    }

    private TemplateInstance listPage(NewModel form, String error) {
        AiModels.Page page = models.list(0, MODELS_SHOWN);
        String currency = ledger.currency();
        List<ModelRow> rows = page.models().stream().map(m -> new ModelRow(m,
                PortalFormat.money(m.pricing().inputPerMillion(), currency),
                PortalFormat.money(m.pricing().outputPerMillion(), currency), m.channels().size())).toList();
        return pages.template("admin-models").data("models", rows).data("total", page.total()).data("form", form)
                .data("vendors", VENDORS).data("error", error);
    }

    @POST
    public Response create(@RestForm String name, @RestForm String displayName, @RestForm String modelType,
            @RestForm String input, @RestForm String output, @RestForm String vendor, @RestForm String baseUrl,
            @RestForm String apiKey, @RestForm String upstreamModel) {
        UserView me = pages.user(Role.ADMIN);
        NewModel typed = new NewModel(trim(name), trim(displayName), trim(modelType), trim(input), trim(output),
                trim(vendor), trim(baseUrl), trim(upstreamModel));
        try {
            PricingDraft pricing = new PricingDraft(price("input price", typed.input()),
                    price("output price", typed.output()), null);
            ChannelDraft channel = new ChannelDraft(null, typed.vendor(), typed.baseUrl(),
                    AdminFormats.blank(apiKey) ? null : apiKey.strip(),
                    typed.upstreamModel().isEmpty() ? typed.name() : typed.upstreamModel(), null, null);
            ModelView created = models.create(me.id(), new ModelDraft(typed.name(),
                    typed.displayName().isEmpty() ? null : typed.displayName(),
                    true, typed.modelType().isEmpty() ? null : typed.modelType(), pricing, null, List.of(channel)));
            return pages.redirect("/admin/models/" + created.id(), "Model " + created.name() + " created and enabled.");
        } catch (ProblemException e) {
            return pages.html(e.status(), listPage(typed, e.detail()).render());
        }
    }

    /** One channel with its health on this node. */
    record ChannelRow(ModelView.Channel channel, String state, int consecutiveFailures, String lastError,
            String lastErrorAt, Long lastLatencyMs, long calls, long failures) {
    }

    /** The settings form as shown (typed values again after an error). */
    record Settings(String displayName, String input, String output, String cachedInput, String maxOutputTokens,
            boolean enabled) {
    }

    @GET
    @Path("{id}")
    public Response model(@PathParam("id") String id) {
        pages.user(Role.ADMIN);
        ModelView model = models.get(AdminPages.uuid(id, "model"));
        return pages.html(modelPage(model, settingsOf(model), null));
    }

    private static Settings settingsOf(ModelView model) {
        return new Settings(model.displayName(), plain(model.pricing().inputPerMillion()),
                plain(model.pricing().outputPerMillion()), plain(model.pricing().cachedInputPerMillion()),
                model.maxOutputTokens() == null ? "" : model.maxOutputTokens().toString(), model.enabled());
    }

    private TemplateInstance modelPage(ModelView model, Settings settings, String error) {
        Map<UUID, ModelChannels.ChannelHealthView> health = channels.health(model.id()).stream()
                .collect(Collectors.toMap(ModelChannels.ChannelHealthView::channelId, Function.identity()));
        List<ChannelRow> rows = model.channels().stream().map(c -> {
            ModelChannels.ChannelHealthView h = health.get(c.id());
            return h == null
                    ? new ChannelRow(c, "unknown", 0, null, null, null, 0, 0)
                    : new ChannelRow(c, h.state(), h.consecutiveFailures(), h.lastError(),
                            h.lastErrorAt() == null ? null : AdminFormats.time(h.lastErrorAt()), h.lastLatencyMs(),
                            h.calls(), h.failures());
        }).toList();
        return pages.template("admin-model").data("model", model).data("settings", settings).data("channels", rows)
                .data("vendors", VENDORS).data("currency", ledger.currency().toUpperCase(java.util.Locale.ROOT))
                .data("error", error);
    }

    @POST
    @Path("{id}")
    public Response update(@PathParam("id") String id, @RestForm String displayName, @RestForm String input,
            @RestForm String output, @RestForm String cachedInput, @RestForm String maxOutputTokens,
            @RestForm String enabled) {
        UserView me = pages.user(Role.ADMIN);
        ModelView model = models.get(AdminPages.uuid(id, "model"));
        Settings typed = new Settings(trim(displayName), trim(input), trim(output), trim(cachedInput),
                trim(maxOutputTokens), enabled != null);
        try {
            Integer maxTokens = null;
            if (!typed.maxOutputTokens().isEmpty()) {
                try {
                    maxTokens = Integer.valueOf(typed.maxOutputTokens());
                } catch (NumberFormatException e) {
                    throw ProblemException.invalid("max_output_tokens", "must be a whole number");
                }
            }
            PricingDraft pricing = new PricingDraft(price("input price", typed.input()),
                    price("output price", typed.output()),
                    typed.cachedInput().isEmpty() ? null : price("cached input price", typed.cachedInput()));
            ModelView changed = models.update(me.id(), model.id(), new ModelDraft(null,
                    typed.displayName().isEmpty() ? null : typed.displayName(), typed.enabled(), null, pricing,
                    maxTokens, null));
            return pages.redirect("/admin/models/" + model.id(), "Saved " + changed.name() + ".");
        } catch (ProblemException e) {
            return pages.html(e.status(), modelPage(model, typed, e.detail()).render());
        }
    }

    @POST
    @Path("{id}/enable")
    public Response enable(@PathParam("id") String id) {
        return setEnabled(id, true);
    }

    @POST
    @Path("{id}/disable")
    public Response disable(@PathParam("id") String id) {
        return setEnabled(id, false);
    }

    private Response setEnabled(String id, boolean enabled) {
        UserView me = pages.user(Role.ADMIN);
        ModelView model = models.get(AdminPages.uuid(id, "model"));
        try {
            models.update(me.id(), model.id(), new ModelDraft(null, null, enabled, null, null, null, null));
            return pages.redirect("/admin/models", model.name() + (enabled
                    ? " is enabled."
                    : " is disabled: /v1 no "
                            + "longer offers it."));
        } catch (ProblemException e) {
            return pages.html(e.status(), modelPage(model, settingsOf(model), e.detail()).render());
        }
    }

    @POST
    @Path("{id}/channels")
    public Response addChannel(@PathParam("id") String id, @RestForm String vendor, @RestForm String baseUrl,
            @RestForm String apiKey, @RestForm String upstreamModel, @RestForm String priority) {
        UserView me = pages.user(Role.ADMIN);
        ModelView model = models.get(AdminPages.uuid(id, "model"));
        try {
            List<ChannelDraft> drafts = kept(model);
            drafts.add(new ChannelDraft(null, trim(vendor), trim(baseUrl),
                    AdminFormats.blank(apiKey) ? null : apiKey.strip(), trim(upstreamModel), integer("priority",
                            priority),
                    null));
            models.update(me.id(), model.id(), new ModelDraft(null, null, null, null, null, null, drafts));
            return pages.redirect("/admin/models/" + model.id(), "Channel added.");
        } catch (ProblemException e) {
            return pages.html(e.status(), modelPage(model, settingsOf(model), e.detail()).render());
        }
    }

    @POST
    @Path("{id}/channels/{channel}/key")
    public Response replaceKey(@PathParam("id") String id, @PathParam("channel") String channel,
            @RestForm String apiKey) {
        UserView me = pages.user(Role.ADMIN);
        ModelView model = models.get(AdminPages.uuid(id, "model"));
        UUID channelId = AdminPages.uuid(channel, "channel");
        try {
            if (AdminFormats.blank(apiKey)) {
                throw ProblemException.invalid("api_key", "enter the new key");
            }
            List<ChannelDraft> drafts = kept(model).stream().map(c -> c.id().equals(channelId)
                    ? new ChannelDraft(c.id(), c.provider(), c.baseUrl(), apiKey.strip(), c.upstreamModel(),
                            c.priority(), c.weight())
                    : c).toList();
            models.update(me.id(), model.id(), new ModelDraft(null, null, null, null, null, null, drafts));
            return pages.redirect("/admin/models/" + model.id(), "The channel's key is replaced.");
        } catch (ProblemException e) {
            return pages.html(e.status(), modelPage(model, settingsOf(model), e.detail()).render());
        }
    }

    @POST
    @Path("{id}/channels/{channel}/remove")
    public Response removeChannel(@PathParam("id") String id, @PathParam("channel") String channel) {
        UserView me = pages.user(Role.ADMIN);
        ModelView model = models.get(AdminPages.uuid(id, "model"));
        UUID channelId = AdminPages.uuid(channel, "channel");
        try {
            List<ChannelDraft> drafts = kept(model).stream().filter(c -> !c.id().equals(channelId)).toList();
            models.update(me.id(), model.id(), new ModelDraft(null, null, null, null, null, null, drafts));
            return pages.redirect("/admin/models/" + model.id(), "Channel removed.");
        } catch (ProblemException e) {
            return pages.html(e.status(), modelPage(model, settingsOf(model), e.detail()).render());
        }
    }

    /** The model's channels as drafts that keep their stored keys. */
    private static List<ChannelDraft> kept(ModelView model) {
        List<ChannelDraft> drafts = new ArrayList<>();
        for (ModelView.Channel c : model.channels()) {
            drafts.add(new ChannelDraft(c.id(), c.provider(), c.baseUrl(), null, c.upstreamModel(), c.priority(),
                    c.weight()));
        }
        return drafts;
    }

    private static BigDecimal price(String field, String typed) {
        if (typed == null || typed.isEmpty()) {
            throw ProblemException.invalid(field, "is required (per million tokens, e.g. 2.50)");
        }
        try {
            return new BigDecimal(typed.replace("$", ""));
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(field, "must be a number such as 2.50");
        }
    }

    private static Integer integer(String field, String typed) {
        if (AdminFormats.blank(typed)) {
            return null;
        }
        try {
            return Integer.valueOf(typed.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(field, "must be a whole number");
        }
    }

    private static String plain(BigDecimal amount) {
        return amount == null ? "" : amount.toPlainString();
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
