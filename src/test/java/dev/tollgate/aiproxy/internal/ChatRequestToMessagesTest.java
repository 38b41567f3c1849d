package dev.tollgate.aiproxy.internal;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.anthropic.models.messages.MessageCreateParams;

import dev.tollgate.aiproxy.internal.Translation.Untranslatable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OpenAI Chat Completions requests as Anthropic Messages requests, checked by Anthropic's SDK models. */
class ChatRequestToMessagesTest {

    private static JsonObject chat(String json) {
        return new JsonObject(json);
    }

    private static JsonObject translate(String json) {
        JsonObject request = chat(json);
        JsonObject before = request.copy();
        JsonObject translated = Translation.chatRequestToMessages(request);
        assertThat(request).as("the caller's request is left as it was").isEqualTo(before);
        Sdk.messagesRequest(translated);
        return translated;
    }

    @Nested
    class Messages {

        @Test
        void moves_system_and_developer_messages_to_the_top_level_system() {
            JsonObject out = translate("""
                    {"model":"claude","messages":[
                      {"role":"system","content":"Be brief."},
                      {"role":"developer","content":[{"type":"text","text":"Answer in French."}]},
                      {"role":"user","content":"Hello"}]}""");

            assertThat(out.getJsonArray("system")).isEqualTo(new JsonArray("""
                    [{"type":"text","text":"Be brief."},{"type":"text","text":"Answer in French."}]"""));
            assertThat(out.getJsonArray("messages")).isEqualTo(new JsonArray("""
                    [{"role":"user","content":[{"type":"text","text":"Hello"}]}]"""));
            assertThat(out.containsKey("model")).as("the caller sets the upstream model").isFalse();
        }

        @Test
        void a_single_system_message_becomes_a_system_string() {
            JsonObject out = translate("""
                    {"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}""");

            assertThat(out.getValue("system")).isEqualTo("Be brief.");
        }

        @Test
        void keeps_a_multi_turn_conversation_and_merges_consecutive_turns_of_one_role() {
            JsonObject out = translate("""
                    {"messages":[
                      {"role":"user","content":"One"},
                      {"role":"user","content":"Two"},
                      {"role":"assistant","content":"Three"},
                      {"role":"assistant","content":[{"type":"text","text":"Four"}]},
                      {"role":"user","content":"Five"}]}""");

            assertThat(out.getJsonArray("messages")).isEqualTo(new JsonArray("""
                    [{"role":"user","content":[{"type":"text","text":"One"},{"type":"text","text":"Two"}]},
                     {"role":"assistant","content":[{"type":"text","text":"Three"},{"type":"text","text":"Four"}]},
                     {"role":"user","content":[{"type":"text","text":"Five"}]}]"""));
        }

        @Test
        void turns_image_parts_into_base64_and_url_image_blocks() {
            JsonObject out = translate("""
                    {"messages":[{"role":"user","content":[
                      {"type":"text","text":"What is in these?"},
                      {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}},
                      {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]}""");

            assertThat(out.getJsonArray("messages").getJsonObject(0).getJsonArray("content"))
                    .isEqualTo(new JsonArray("""
                            [{"type":"text","text":"What is in these?"},
                             {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                             {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]"""));
        }

        @Test
        void turns_an_inline_pdf_file_into_a_document_block() {
            JsonObject out = translate(
                    """
                            {"messages":[{"role":"user","content":[
                              {"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="}}]}]}""");

            assertThat(out.getJsonArray("messages").getJsonObject(0).getJsonArray("content").getJsonObject(0))
                    .isEqualTo(new JsonObject("""
                            {"type":"document","title":"a.pdf",
                             "source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}}"""));
        }

        @Test
        void refuses_images_that_are_neither_http_nor_base64_data_urls() {
            assertThatThrownBy(() -> translate("""
                    {"messages":[{"role":"user","content":[
                      {"type":"image_url","image_url":{"url":"ftp://example.com/cat.jpg"}}]}]}"""))
                    .isInstanceOfSatisfying(Untranslatable.class,
                            e -> assertThat(e.param()).isEqualTo("messages[0].content[0].image_url.url"));
        }

        @Test
        void refuses_audio_input_and_file_ids() {
            assertThatThrownBy(() -> translate("""
                    {"messages":[{"role":"user","content":[
                      {"type":"input_audio","input_audio":{"data":"AAA=","format":"wav"}}]}]}"""))
                    .isInstanceOfSatisfying(Untranslatable.class,
                            e -> assertThat(e.param()).isEqualTo("messages[0].content[0]"));
            assertThatThrownBy(() -> translate("""
                    {"messages":[{"role":"user","content":[{"type":"file","file":{"file_id":"file-abc"}}]}]}"""))
                    .isInstanceOf(Untranslatable.class).hasMessageContaining("PDF");
        }

        @Test
        void refuses_a_conversation_of_system_messages_only() {
            assertThatThrownBy(() -> translate("""
                    {"messages":[{"role":"system","content":"Be brief."}]}"""))
                    .isInstanceOfSatisfying(Untranslatable.class, e -> assertThat(e.param()).isEqualTo("messages"));
        }

        @Test
        void names_the_field_of_a_malformed_body_instead_of_failing_with_a_class_cast() {
            assertThatThrownBy(() -> translate("{\"messages\":\"hello\"}"))
                    .isInstanceOfSatisfying(Untranslatable.class, e -> assertThat(e.param()).isEqualTo("messages"));
            assertThatThrownBy(() -> translate("{\"messages\":[{\"role\":\"user\",\"content\":42}]}"))
                    .isInstanceOfSatisfying(Untranslatable.class,
                            e -> assertThat(e.param()).isEqualTo("messages[0].content"));
            assertThatThrownBy(() -> translate("{\"messages\":[{\"content\":\"hi\"}]}"))
                    .isInstanceOfSatisfying(Untranslatable.class,
                            e -> assertThat(e.param()).isEqualTo("messages[0].role"));
            assertThatThrownBy(() -> translate("{}"))
                    .isInstanceOfSatisfying(Untranslatable.class, e -> assertThat(e.param()).isEqualTo("messages"));
        }
    }

    @Nested
    class Tools {

        private static final String TOOLS = """
                "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather of a city",
                  "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},
                  "strict":true}}]""";

        @Test
        void turns_function_tools_into_tools_with_an_input_schema() {
            JsonObject out = translate("{\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]," + TOOLS + "}");

            assertThat(out.getJsonArray("tools")).isEqualTo(new JsonArray(
                    """
                            [{"name":"get_weather","description":"Weather of a city",
                              "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]"""));
            assertThat(out.containsKey("tool_choice")).isFalse();
        }

        @Test
        void a_function_without_parameters_gets_an_empty_object_schema() {
            JsonObject out = translate("""
                    {"messages":[{"role":"user","content":"Time?"}],
                     "tools":[{"type":"function","function":{"name":"now"}}]}""");

            assertThat(out.getJsonArray("tools").getJsonObject(0)).isEqualTo(new JsonObject("""
                    {"name":"now","input_schema":{"type":"object","properties":{}}}"""));
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"auto\"=auto", "\"none\"=none", "\"required\"=any"})
        void maps_tool_choice_modes(String mapping) {
            String[] pair = mapping.split("=");
            JsonObject out = translate("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]," + TOOLS
                    + ",\"tool_choice\":" + pair[0] + "}");

            assertThat(out.getJsonObject("tool_choice")).isEqualTo(new JsonObject().put("type", pair[1]));
        }

        @Test
        void maps_a_named_function_choice_and_parallel_tool_calls_false() {
            JsonObject out = translate("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]," + TOOLS
                    + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}},"
                    + "\"parallel_tool_calls\":false}");

            assertThat(out.getJsonObject("tool_choice")).isEqualTo(new JsonObject("""
                    {"type":"tool","name":"get_weather","disable_parallel_tool_use":true}"""));
        }

        @Test
        void parallel_tool_calls_false_alone_becomes_auto_without_parallel_use() {
            JsonObject out = translate("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]," + TOOLS
                    + ",\"parallel_tool_calls\":false}");

            assertThat(out.getJsonObject("tool_choice")).isEqualTo(new JsonObject("""
                    {"type":"auto","disable_parallel_tool_use":true}"""));
        }

        @Test
        void turns_tool_calls_into_tool_use_blocks_and_tool_messages_into_one_user_turn_of_results() {
            JsonObject out = translate(
                    """
                            {"messages":[
                              {"role":"user","content":"Weather in Paris and Rome?"},
                              {"role":"assistant","content":"","tool_calls":[
                                {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                                {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
                              {"role":"tool","tool_call_id":"call_1","content":"18C"},
                              {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"21C"}]},
                              {"role":"user","content":"Thanks"}],"""
                            + TOOLS + "}");

            assertThat(out.getJsonArray("messages")).isEqualTo(new JsonArray("""
                    [{"role":"user","content":[{"type":"text","text":"Weather in Paris and Rome?"}]},
                     {"role":"assistant","content":[
                       {"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}},
                       {"type":"tool_use","id":"call_2","name":"get_weather","input":{"city":"Rome"}}]},
                     {"role":"user","content":[
                       {"type":"tool_result","tool_use_id":"call_1","content":"18C"},
                       {"type":"tool_result","tool_use_id":"call_2","content":[{"type":"text","text":"21C"}]},
                       {"type":"text","text":"Thanks"}]}]"""));
        }

        @Test
        void makes_tool_call_ids_acceptable_to_anthropic_the_same_way_in_calls_and_results() {
            JsonObject out = translate(
                    """
                            {"messages":[
                              {"role":"user","content":"x"},
                              {"role":"assistant","content":null,"tool_calls":[
                                {"id":"functions.get_weather:0","type":"function","function":{"name":"get_weather","arguments":""}}]},
                              {"role":"tool","tool_call_id":"functions.get_weather:0","content":"ok"}]}""");

            JsonArray messages = out.getJsonArray("messages");
            assertThat(messages.getJsonObject(1).getJsonArray("content").getJsonObject(0).getString("id"))
                    .isEqualTo("functions_get_weather_0");
            assertThat(messages.getJsonObject(1).getJsonArray("content").getJsonObject(0).getJsonObject("input"))
                    .isEqualTo(new JsonObject());
            assertThat(messages.getJsonObject(2).getJsonArray("content").getJsonObject(0).getString("tool_use_id"))
                    .isEqualTo("functions_get_weather_0");
        }

        @Test
        void refuses_tool_call_arguments_that_are_not_a_json_object() {
            assertThatThrownBy(() -> translate("""
                    {"messages":[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[
                      {"id":"call_1","type":"function","function":{"name":"f","arguments":"{\\"city\\":"}}]}]}"""))
                    .isInstanceOfSatisfying(Untranslatable.class,
                            e -> assertThat(e.param()).isEqualTo("messages[1].tool_calls[0].function.arguments"));
        }

        @Test
        void refuses_custom_tools_and_the_deprecated_functions() {
            assertThatThrownBy(() -> translate("""
                    {"messages":[{"role":"user","content":"x"}],"tools":[{"type":"custom","custom":{"name":"f"}}]}"""))
                    .isInstanceOfSatisfying(Untranslatable.class,
                            e -> assertThat(e.param()).isEqualTo("tools[0].type"));
            assertThatThrownBy(() -> translate("""
                    {"messages":[{"role":"user","content":"x"}],"functions":[{"name":"f"}]}"""))
                    .isInstanceOfSatisfying(Untranslatable.class, e -> assertThat(e.param()).isEqualTo("functions"));
        }
    }

    @Nested
    class Parameters {

        @Test
        void maps_sampling_limits_stop_stream_and_user() {
            JsonObject out = translate("""
                    {"messages":[{"role":"user","content":"x"}],"temperature":0.2,"top_p":0.9,
                     "max_completion_tokens":300,"max_tokens":100,"stop":"END","stream":true,
                     "stream_options":{"include_usage":true},"user":"user-42","seed":7,"n":1,"logprobs":false,
                     "frequency_penalty":0,"response_format":{"type":"text"},"store":false}""");

            assertThat(out).isEqualTo(new JsonObject("""
                    {"messages":[{"role":"user","content":[{"type":"text","text":"x"}]}],
                     "max_tokens":300,"temperature":0.2,"top_p":0.9,"stop_sequences":["END"],"stream":true,
                     "metadata":{"user_id":"user-42"}}"""));
        }

        @Test
        void takes_max_tokens_when_max_completion_tokens_is_absent_and_a_stop_array() {
            JsonObject out = translate("""
                    {"messages":[{"role":"user","content":"x"}],"max_tokens":100,"stop":["a","b"]}""");

            assertThat(out.getLong("max_tokens")).isEqualTo(100);
            assertThat(out.getJsonArray("stop_sequences")).isEqualTo(new JsonArray().add("a").add("b"));
        }

        @Test
        void safety_identifier_stands_in_for_user() {
            JsonObject out = translate("""
                    {"messages":[{"role":"user","content":"x"}],"safety_identifier":"hash-1"}""");

            assertThat(out.getJsonObject("metadata")).isEqualTo(new JsonObject().put("user_id", "hash-1"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"n:2", "logprobs:true", "top_logprobs:3", "temperature:1.5",
                "frequency_penalty:0.5", "presence_penalty:-1", "logit_bias:{\"50256\":-100}",
                "response_format:{\"type\":\"json_object\"}",
                "response_format:{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":{}}}",
                "audio:{\"voice\":\"alloy\",\"format\":\"wav\"}", "modalities:[\"text\",\"audio\"]",
                "reasoning_effort:\"low\"", "verbosity:\"low\"", "web_search_options:{}",
                "function_call:\"auto\""})
        void refuses_what_anthropic_cannot_do_naming_the_parameter(String parameter) {
            int colon = parameter.indexOf(':');
            String name = parameter.substring(0, colon);

            assertThatThrownBy(() -> translate("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"" + name
                    + "\":" + parameter.substring(colon + 1) + "}"))
                    .isInstanceOfSatisfying(Untranslatable.class, e -> {
                        assertThat(e.param()).isEqualTo(name);
                        assertThat(e.getMessage()).isNotBlank();
                    });
        }

        @Test
        void the_translated_request_is_what_anthropics_sdk_would_send() {
            JsonObject out = translate("""
                    {"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],
                     "temperature":0.5,"stop":["x"],"max_tokens":64}""");

            MessageCreateParams.Body body = Sdk.messagesRequest(out);
            assertThat(body.maxTokens()).isEqualTo(64);
            assertThat(body.system().orElseThrow().string()).contains("Be brief.");
            assertThat(body.stopSequences().orElseThrow()).containsExactly("x");
            // anthropic-java 3.x models API version 2026-10-21, which has no sampling parameters any more: the
            // temperature is an extra property for it (see docs/AI.md on which upstreams accept it)
            assertThat(body._additionalProperties().get("temperature").convert(Double.class)).isEqualTo(0.5);
        }
    }
}
