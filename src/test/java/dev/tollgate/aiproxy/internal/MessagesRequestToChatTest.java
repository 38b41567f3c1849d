package dev.tollgate.aiproxy.internal;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.openai.models.chat.completions.ChatCompletionCreateParams;

import dev.tollgate.aiproxy.internal.Translation.Untranslatable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Anthropic Messages requests as OpenAI Chat Completions requests, checked by OpenAI's SDK models. */
class MessagesRequestToChatTest {

    private static JsonObject translate(String json) {
        JsonObject request = new JsonObject(json);
        JsonObject before = request.copy();
        JsonObject translated = Translation.messagesRequestToChat(request);
        assertThat(request).as("the caller's request is left as it was").isEqualTo(before);
        Sdk.chatRequest(translated);
        return translated;
    }

    @Nested
    class Messages {

        @Test
        void puts_the_system_prompt_first_as_a_system_message() {
            JsonObject out = translate(
                    """
                            {"model":"gpt","max_tokens":100,"system":"Be brief.","messages":[{"role":"user","content":"Hi"}]}""");

            assertThat(out.getJsonArray("messages")).isEqualTo(new JsonArray("""
                    [{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]"""));
            assertThat(out.containsKey("model")).as("the caller sets the upstream model").isFalse();
        }

        @Test
        void joins_system_text_blocks_and_drops_their_cache_control() {
            JsonObject out = translate("""
                    {"max_tokens":100,"system":[{"type":"text","text":"Be brief."},
                      {"type":"text","text":"Answer in French.","cache_control":{"type":"ephemeral"}}],
                     "messages":[{"role":"user","content":"Hi"}]}""");

            assertThat(out.getJsonArray("messages").getJsonObject(0)).isEqualTo(new JsonObject("""
                    {"role":"system","content":"Be brief.\\n\\nAnswer in French."}"""));
        }

        @Test
        void keeps_a_multi_turn_conversation_with_text_blocks() {
            JsonObject out = translate(
                    """
                            {"max_tokens":100,"messages":[
                              {"role":"user","content":[{"type":"text","text":"One"}]},
                              {"role":"assistant","content":[{"type":"text","text":"Two"},{"type":"text","text":" and a half"}]},
                              {"role":"user","content":[{"type":"text","text":"Three"},{"type":"text","text":"Four"}]}]}""");

            assertThat(out.getJsonArray("messages")).isEqualTo(new JsonArray("""
                    [{"role":"user","content":"One"},
                     {"role":"assistant","content":"Two and a half"},
                     {"role":"user","content":[{"type":"text","text":"Three"},{"type":"text","text":"Four"}]}]"""));
        }

        @Test
        void turns_base64_and_url_images_into_image_url_parts() {
            JsonObject out = translate("""
                    {"max_tokens":100,"messages":[{"role":"user","content":[
                      {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}},
                      {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}},
                      {"type":"text","text":"Compare them."}]}]}""");

            assertThat(out.getJsonArray("messages").getJsonObject(0).getJsonArray("content"))
                    .isEqualTo(new JsonArray("""
                            [{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}},
                             {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}},
                             {"type":"text","text":"Compare them."}]"""));
        }

        @Test
        void turns_pdf_and_text_documents_into_file_and_text_parts() {
            JsonObject out = translate(
                    """
                            {"max_tokens":100,"messages":[{"role":"user","content":[
                              {"type":"document","title":"a.pdf","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}},
                              {"type":"document","source":{"type":"text","media_type":"text/plain","data":"Plain notes"}}]}]}""");

            assertThat(out.getJsonArray("messages").getJsonObject(0).getJsonArray("content")).isEqualTo(new JsonArray(
                    """
                            [{"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="}},
                             {"type":"text","text":"Plain notes"}]"""));
        }

        @Test
        void refuses_file_sources_and_unknown_blocks() {
            assertThatThrownBy(() -> translate("""
                    {"max_tokens":100,"messages":[{"role":"user","content":[
                      {"type":"image","source":{"type":"file","file_id":"file_1"}}]}]}"""))
                    .isInstanceOfSatisfying(Untranslatable.class,
                            e -> assertThat(e.param()).isEqualTo("messages[0].content[0].source.type"));
            assertThatThrownBy(() -> translate("""
                    {"max_tokens":100,"messages":[{"role":"user","content":[
                      {"type":"search_result","source":"x","title":"t","content":[]}]}]}"""))
                    .isInstanceOfSatisfying(Untranslatable.class,
                            e -> assertThat(e.param()).isEqualTo("messages[0].content[0].type"));
        }

        @Test
        void drops_earlier_thinking_blocks_of_the_assistant() {
            JsonObject out = translate("""
                    {"max_tokens":100,"messages":[{"role":"user","content":"Hi"},
                      {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"sig"},
                        {"type":"text","text":"Hello"}]},
                      {"role":"user","content":"Bye"}]}""");

            assertThat(out.getJsonArray("messages").getJsonObject(1)).isEqualTo(new JsonObject("""
                    {"role":"assistant","content":"Hello"}"""));
        }

        @Test
        void names_the_field_of_a_malformed_body() {
            assertThatThrownBy(() -> translate("{\"max_tokens\":1,\"messages\":{}}"))
                    .isInstanceOfSatisfying(Untranslatable.class, e -> assertThat(e.param()).isEqualTo("messages"));
            assertThatThrownBy(
                    () -> translate("{\"max_tokens\":1,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}"))
                    .isInstanceOfSatisfying(Untranslatable.class,
                            e -> assertThat(e.param()).isEqualTo("messages[0].role"));
            assertThatThrownBy(() -> translate("{\"max_tokens\":\"ten\",\"messages\":[]}"))
                    .isInstanceOfSatisfying(Untranslatable.class, e -> assertThat(e.param()).isEqualTo("max_tokens"));
        }
    }

    @Nested
    class Tools {

        private static final String TOOLS = """
                "tools":[{"name":"get_weather","description":"Weather of a city",
                  "input_schema":{"type":"object","properties":{"city":{"type":"string"}}},
                  "cache_control":{"type":"ephemeral"}}]""";

        @Test
        void turns_tools_into_function_tools() {
            JsonObject out = translate("{\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                    + TOOLS + "}");

            assertThat(out.getJsonArray("tools")).isEqualTo(new JsonArray("""
                    [{"type":"function","function":{"name":"get_weather","description":"Weather of a city",
                      "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]"""));
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"type\":\"auto\"}=\"auto\"", "{\"type\":\"any\"}=\"required\"",
                "{\"type\":\"none\"}=\"none\"",
                "{\"type\":\"tool\",\"name\":\"get_weather\"}={\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"})
        void maps_tool_choice(String mapping) {
            String[] pair = mapping.split("=");
            JsonObject out = translate("{\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                    + TOOLS + ",\"tool_choice\":" + pair[0] + "}");

            assertThat(new JsonObject().put("c", out.getValue("tool_choice")))
                    .isEqualTo(new JsonObject("{\"c\":" + pair[1] + "}"));
            assertThat(out.containsKey("parallel_tool_calls")).isFalse();
        }

        @Test
        void disable_parallel_tool_use_becomes_parallel_tool_calls_false() {
            JsonObject out = translate("{\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                    + TOOLS + ",\"tool_choice\":{\"type\":\"any\",\"disable_parallel_tool_use\":true}}");

            assertThat(out.getValue("tool_choice")).isEqualTo("required");
            assertThat(out.getBoolean("parallel_tool_calls")).isFalse();
        }

        @Test
        void turns_tool_use_into_tool_calls_and_tool_results_into_tool_messages_ahead_of_the_user_text() {
            JsonObject out = translate(
                    """
                            {"max_tokens":100,"messages":[
                              {"role":"user","content":"Weather in Paris and Rome?"},
                              {"role":"assistant","content":[{"type":"text","text":"Checking."},
                                {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
                                {"type":"tool_use","id":"toolu_2","name":"get_weather","input":{"city":"Rome"}}]},
                              {"role":"user","content":[
                                {"type":"tool_result","tool_use_id":"toolu_1","content":"18C"},
                                {"type":"tool_result","tool_use_id":"toolu_2","content":[{"type":"text","text":"21C"}],"is_error":false},
                                {"type":"text","text":"Thanks"}]}],"""
                            + TOOLS + "}");

            assertThat(out.getJsonArray("messages")).isEqualTo(new JsonArray(
                    """
                            [{"role":"user","content":"Weather in Paris and Rome?"},
                             {"role":"assistant","content":"Checking.","tool_calls":[
                               {"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                               {"id":"toolu_2","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
                             {"role":"tool","tool_call_id":"toolu_1","content":"18C"},
                             {"role":"tool","tool_call_id":"toolu_2","content":"21C"},
                             {"role":"user","content":"Thanks"}]"""));
        }

        @Test
        void an_assistant_turn_of_tool_use_only_has_null_content() {
            JsonObject out = translate("""
                    {"max_tokens":100,"messages":[{"role":"user","content":"x"},
                      {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"f","input":{}}]},
                      {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1"}]}]}""");

            assertThat(out.getJsonArray("messages").getJsonObject(1).getValue("content")).isNull();
            assertThat(out.getJsonArray("messages").getJsonObject(2)).isEqualTo(new JsonObject("""
                    {"role":"tool","tool_call_id":"toolu_1","content":""}"""));
        }

        @Test
        void refuses_tool_results_with_images_and_server_tools() {
            assertThatThrownBy(() -> translate("""
                    {"max_tokens":100,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t",
                      "content":[{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]}]}]}"""))
                    .isInstanceOfSatisfying(Untranslatable.class,
                            e -> assertThat(e.param()).isEqualTo("messages[0].content[0].content[0].type"));
            assertThatThrownBy(() -> translate("""
                    {"max_tokens":100,"messages":[{"role":"user","content":"x"}],
                     "tools":[{"type":"web_search_20250305","name":"web_search"}]}"""))
                    .isInstanceOfSatisfying(Untranslatable.class,
                            e -> assertThat(e.param()).isEqualTo("tools[0].type"));
        }
    }

    @Nested
    class Parameters {

        @Test
        void maps_limits_sampling_stop_sequences_stream_and_user() {
            JsonObject out = translate(
                    """
                            {"model":"claude","max_tokens":300,"temperature":0.2,"top_p":0.9,"stop_sequences":["END","STOP"],
                             "stream":true,"metadata":{"user_id":"user-42"},"service_tier":"auto","thinking":{"type":"disabled"},
                             "messages":[{"role":"user","content":"x"}]}""");

            assertThat(out).isEqualTo(new JsonObject("""
                    {"messages":[{"role":"user","content":"x"}],"max_completion_tokens":300,"temperature":0.2,
                     "top_p":0.9,"stop":["END","STOP"],"stream":true,"stream_options":{"include_usage":true},
                     "user":"user-42"}"""));
            ChatCompletionCreateParams.Body body = Sdk.chatRequest(out);
            assertThat(body.maxCompletionTokens()).contains(300L);
            assertThat(body.stop().orElseThrow().strings().orElseThrow()).containsExactly("END", "STOP");
            assertThat(body.streamOptions().orElseThrow().includeUsage()).contains(true);
        }

        @ParameterizedTest
        @ValueSource(strings = {"top_k:5", "thinking:{\"type\":\"enabled\",\"budget_tokens\":2000}",
                "mcp_servers:[]", "container:\"c\""})
        void refuses_what_openai_cannot_do_naming_the_parameter(String parameter) {
            int colon = parameter.indexOf(':');
            String name = parameter.substring(0, colon);

            assertThatThrownBy(
                    () -> translate("{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\""
                            + name + "\":" + parameter.substring(colon + 1) + "}"))
                    .isInstanceOfSatisfying(Untranslatable.class, e -> assertThat(e.param()).isEqualTo(name));
        }
    }
}
