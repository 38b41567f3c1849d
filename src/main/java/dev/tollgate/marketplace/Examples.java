package dev.tollgate.marketplace;

import java.util.List;

import dev.tollgate.marketplace.ListingDetail.Example;
import dev.tollgate.models.ModelCatalogue;

/** Requests to copy from a listing's page, with the caller's key in {@code TOLLGATE_API_KEY}. */
final class Examples {

    private Examples() {
    }

    /** Calls of {@code path} (one of the API's GET endpoints without parameters in its path, else {@code /}). */
    static List<Example> api(String gatewayUrl, String path) {
        String url = gatewayUrl + path;
        return List.of(
                new Example("Call it with curl", "curl",
                        "curl \"" + url + "\" \\\n  -H \"Authorization: Bearer $TOLLGATE_API_KEY\""),
                new Example("Python (requests)", "python", """
                        import os, requests

                        response = requests.get("%s",
                                                headers={"Authorization": "Bearer " + os.environ["TOLLGATE_API_KEY"]})
                        print(response.status_code, response.text)""".formatted(url)),
                new Example("JavaScript (fetch)", "javascript", """
                        const response = await fetch("%s", {
                          headers: { Authorization: `Bearer ${process.env.TOLLGATE_API_KEY}` },
                        });
                        console.log(response.status, await response.text());""".formatted(url)),
                new Example("Java (java.net.http)", "java", """
                        var request = HttpRequest.newBuilder(URI.create("%s"))
                                .header("Authorization", "Bearer " + System.getenv("TOLLGATE_API_KEY")).build();
                        var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
                        System.out.println(response.statusCode() + " " + response.body());"""
                        .formatted(url)));
    }

    static List<Example> model(String origin, ModelCatalogue.Entry model) {
        String name = model.id();
        if ("embedding".equals(model.modelType())) {
            return List.of(
                    new Example("Embeddings with curl", "curl", """
                            curl %s/v1/embeddings \\
                              -H "Authorization: Bearer $TOLLGATE_API_KEY" -H "Content-Type: application/json" \\
                              -d '{"model": "%s", "input": "The quick brown fox"}'""".formatted(origin, name)),
                    new Example("OpenAI SDK for Python", "python",
                            """
                                    import os
                                    from openai import OpenAI

                                    client = OpenAI(base_url="%s/v1", api_key=os.environ["TOLLGATE_API_KEY"])
                                    print(client.embeddings.create(model="%s", input="The quick brown fox").data[0].embedding[:5])"""
                                    .formatted(origin, name)),
                    new Example("OpenAI SDK for JavaScript", "javascript",
                            """
                                    import OpenAI from "openai";

                                    const client = new OpenAI({ baseURL: "%s/v1", apiKey: process.env.TOLLGATE_API_KEY });
                                    const result = await client.embeddings.create({ model: "%s", input: "The quick brown fox" });
                                    console.log(result.data[0].embedding.slice(0, 5));"""
                                    .formatted(origin, name)));
        }
        return List.of(
                new Example("Chat with curl", "curl", """
                        curl %s/v1/chat/completions \\
                          -H "Authorization: Bearer $TOLLGATE_API_KEY" -H "Content-Type: application/json" \\
                          -d '{"model": "%s", "messages": [{"role": "user", "content": "Hello!"}]}'"""
                        .formatted(origin, name)),
                new Example("OpenAI SDK for Python", "python",
                        """
                                import os
                                from openai import OpenAI

                                client = OpenAI(base_url="%s/v1", api_key=os.environ["TOLLGATE_API_KEY"])
                                reply = client.chat.completions.create(model="%s", messages=[{"role": "user", "content": "Hello!"}])
                                print(reply.choices[0].message.content)"""
                                .formatted(origin, name)),
                new Example("Anthropic SDK for Python", "python", """
                        import os
                        import anthropic

                        client = anthropic.Anthropic(base_url="%s", api_key=os.environ["TOLLGATE_API_KEY"])
                        reply = client.messages.create(model="%s", max_tokens=256,
                                                       messages=[{"role": "user", "content": "Hello!"}])
                        print(reply.content[0].text)""".formatted(origin, name)),
                new Example("OpenAI SDK for JavaScript", "javascript", """
                        import OpenAI from "openai";

                        const client = new OpenAI({ baseURL: "%s/v1", apiKey: process.env.TOLLGATE_API_KEY });
                        const reply = await client.chat.completions.create({
                          model: "%s", messages: [{ role: "user", content: "Hello!" }],
                        });
                        console.log(reply.choices[0].message.content);""".formatted(origin, name)),
                new Example("Anthropic SDK for JavaScript", "javascript", """
                        import Anthropic from "@anthropic-ai/sdk";

                        const client = new Anthropic({ baseURL: "%s", apiKey: process.env.TOLLGATE_API_KEY });
                        const reply = await client.messages.create({
                          model: "%s", max_tokens: 256, messages: [{ role: "user", content: "Hello!" }],
                        });
                        console.log(reply.content[0].text);""".formatted(origin, name)));
    }
}
