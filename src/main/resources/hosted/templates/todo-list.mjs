// Todo list: create, list, read, update and delete todos, kept in kv as JSON.
const key = (id) => `todo:${id}`;
const nextId = () => {
  const id = Number(kv.get("todo-seq") ?? "0") + 1;
  kv.put("todo-seq", String(id));
  return id;
};
const validTitle = (title) => typeof title === "string" && title.trim().length > 0 && title.length <= 200;

export default {
  routes: {
    "GET /todos": (req) => {
      let todos = kv.list("todo:", 1000).map((k) => kv.getJson(k));
      if (req.query.done !== undefined) {
        todos = todos.filter((t) => t.done === (req.query.done === "true"));
      }
      return { json: todos.sort((a, b) => a.id - b.id) };
    },
    "POST /todos": (req) => {
      if (!validTitle(req.json?.title)) {
        return { status: 400, json: { error: "Send {\"title\": \"…\"} (1 to 200 characters)" } };
      }
      const todo = { id: nextId(), title: req.json.title.trim(), done: false };
      kv.putJson(key(todo.id), todo);
      return { status: 201, json: todo };
    },
    "GET /todos/{id}": (req) => {
      const todo = kv.getJson(key(req.params.id));
      return todo ? { json: todo } : { status: 404, json: { error: `No todo ${req.params.id}` } };
    },
    "PATCH /todos/{id}": (req) => {
      const todo = kv.getJson(key(req.params.id));
      if (!todo) {
        return { status: 404, json: { error: `No todo ${req.params.id}` } };
      }
      const changes = req.json ?? {};
      if (changes.title !== undefined && !validTitle(changes.title)) {
        return { status: 400, json: { error: "title has 1 to 200 characters" } };
      }
      const updated = {
        ...todo,
        title: changes.title?.trim() ?? todo.title,
        done: typeof changes.done === "boolean" ? changes.done : todo.done,
      };
      kv.putJson(key(todo.id), updated);
      return { json: updated };
    },
    "DELETE /todos/{id}": (req) =>
      kv.delete(key(req.params.id)) ? { status: 204 } : { status: 404, json: { error: `No todo ${req.params.id}` } },
  },
};
