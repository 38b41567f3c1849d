package dev.tollgate.assistant.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.Session;

/** Database access for the assistant's conversations. Callers own the transaction. */
@ApplicationScoped
public class AssistantStore {

    private final Session session;

    AssistantStore(Session session) {
        this.session = session;
    }

    public void persist(Object entity) {
        session.persist(entity);
        session.flush();
    }

    /** The conversation when it exists and belongs to the user. */
    public Optional<ConversationEntity> conversation(UUID id, UUID userId) {
        ConversationEntity conversation = session.find(ConversationEntity.class, id);
        return conversation != null && conversation.userId.equals(userId)
                ? Optional.of(conversation)
                : Optional.empty();
    }

    /**
     * The conversation whoever owns it (a new one's id is checked against every user's), locked until the
     * transaction ends: two answers to one conversation at once are numbered one after the other.
     */
    public Optional<ConversationEntity> lockedConversation(UUID id) {
        return Optional.ofNullable(session.find(ConversationEntity.class, id,
                jakarta.persistence.LockModeType.PESSIMISTIC_WRITE));
    }

    /** A user's conversations, most recently active first. */
    public List<ConversationEntity> conversationsOf(UUID userId, int skip, int limit) {
        return session.createSelectionQuery("from ConversationEntity where userId = :user"
                + " order by updatedAt desc, id", ConversationEntity.class).setParameter("user", userId)
                .setFirstResult(skip).setMaxResults(limit).getResultList();
    }

    /** Messages of a conversation in order. */
    public List<AssistantMessageEntity> messages(UUID conversationId) {
        return session.createSelectionQuery("from AssistantMessageEntity where conversationId = :conversation"
                + " order by seq", AssistantMessageEntity.class).setParameter("conversation", conversationId)
                .getResultList();
    }

    /** The last {@code count} messages of a conversation, in order. */
    public List<AssistantMessageEntity> lastMessages(UUID conversationId, int count) {
        List<AssistantMessageEntity> newestFirst = new ArrayList<>(session
                .createSelectionQuery("from AssistantMessageEntity"
                        + " where conversationId = :conversation order by seq desc", AssistantMessageEntity.class)
                .setParameter("conversation", conversationId).setMaxResults(count).getResultList());
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** The next free sequence number of a conversation. */
    public int nextSeq(UUID conversationId) {
        Integer max = session.createSelectionQuery("select max(seq) from AssistantMessageEntity"
                + " where conversationId = :conversation", Integer.class)
                .setParameter("conversation", conversationId).getSingleResult();
        return max == null ? 0 : max + 1;
    }

    public long messageCount(UUID conversationId) {
        return session.createSelectionQuery("select count(*) from AssistantMessageEntity"
                + " where conversationId = :conversation", Long.class).setParameter("conversation", conversationId)
                .getSingleResult();
    }

    public void delete(ConversationEntity conversation) {
        session.createMutationQuery("delete from AssistantMessageEntity where conversationId = :conversation")
                .setParameter("conversation", conversation.id).executeUpdate();
        session.remove(conversation);
        session.flush();
    }
}
