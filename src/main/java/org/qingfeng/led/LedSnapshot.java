package org.qingfeng.led;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The LED state one server instance compiles playlists from, in three immutable parts that are
 * reloaded independently when Postgres announces a change (LISTEN/NOTIFY). Polls read it
 * without touching Postgres.
 */
public final class LedSnapshot {
  public final Screens screens;
  public final Content content;
  public final Alerts alerts;
  /** Grows with every reload of any part: a cheap key for compiled playlists. */
  public final long generation;

  public LedSnapshot(Screens screens, Content content, Alerts alerts, long generation) {
    this.screens = screens;
    this.content = content;
    this.alerts = alerts;
    this.generation = generation;
  }

  public static final class Screen {
    public final long id;
    public final String name;
    public final String status;
    public final byte[] secretSha256;
    public final ZoneId zone;
    public final int pollIntervalS;
    public final Set<Long> groupIds;
    /**
     * The last secret this screen presented that matched {@link #secretSha256}, so its next
     * polls skip the SHA-256. It lives and dies with this object: a revoke, rotate or any reload
     * of the screens builds new Screen objects, so nothing verified against an old digest
     * survives. One per screen, so it is bounded by the fleet. Never logged.
     */
    volatile String verifiedSecret;

    public Screen(long id, String name, String status, byte[] secretSha256, ZoneId zone, int pollIntervalS, Set<Long> groupIds) {
      this.id = id;
      this.name = name;
      this.status = status;
      this.secretSha256 = secretSha256;
      this.zone = zone;
      this.pollIntervalS = pollIntervalS;
      this.groupIds = groupIds;
    }

    public boolean active() {
      return "active".equals(status);
    }
  }

  /** Screens by id, and each group's screen ids in ascending order (the rotation order). */
  public static final class Screens {
    public final Map<Long, Screen> byId;
    public final Map<Long, List<Long>> membersByGroup;

    public Screens(Map<Long, Screen> byId, Map<Long, List<Long>> membersByGroup) {
      this.byId = byId;
      this.membersByGroup = membersByGroup;
    }
  }

  public static final class Item {
    public final long id;
    public final Long libraryId;
    public final String category;
    public final String effect;
    public final int speed;
    public final int dwellS;
    public final String colour;
    public final int fontSize;
    public final int priority;
    public final Schedule schedule;
    public final Set<Long> targetGroups;
    public final Set<Long> targetScreens;
    public final int version;
    public final String contentHash;
    public final String text;
    /** This version's JSON members, encoded once by {@link PlaylistJson#itemFields}. */
    String encodedFields;

    public Item(long id, Long libraryId, String category, String effect, int speed, int dwellS, String colour,
        int fontSize, int priority, Schedule schedule, Set<Long> targetGroups, Set<Long> targetScreens,
        int version, String contentHash, String text) {
      this.id = id;
      this.libraryId = libraryId;
      this.category = category;
      this.effect = effect;
      this.speed = speed;
      this.dwellS = dwellS;
      this.colour = colour;
      this.fontSize = fontSize;
      this.priority = priority;
      this.schedule = schedule;
      this.targetGroups = targetGroups;
      this.targetScreens = targetScreens;
      this.version = version;
      this.contentHash = contentHash;
      this.text = text;
    }

    public boolean targets(Screen s) {
      if (targetScreens.contains(s.id)) {
        return true;
      }
      for (Long g : s.groupIds) {
        if (targetGroups.contains(g)) {
          return true;
        }
      }
      return false;
    }
  }

  public static final class Assignment {
    public final long id;
    public final long libraryId;
    public final long groupId;
    public final LocalDate startDate;
    public final Integer rulesPerDay;
    public final Daypart daypart;

    public Assignment(long id, long libraryId, long groupId, LocalDate startDate, Integer rulesPerDay, Daypart daypart) {
      this.id = id;
      this.libraryId = libraryId;
      this.groupId = groupId;
      this.startDate = startDate;
      this.rulesPerDay = rulesPerDay;
      this.daypart = daypart;
    }
  }

  /**
   * Live items that target screens or groups directly, every library's rules in rotation order
   * (ascending id), and the rotation assignments by group.
   */
  public static final class Content {
    public final List<Item> targeted;
    public final Map<Long, List<Item>> libraryRules;
    public final Map<Long, String> libraryNames;
    public final Map<Long, List<Assignment>> assignmentsByGroup;

    public Content(List<Item> targeted, Map<Long, List<Item>> libraryRules, Map<Long, String> libraryNames,
        Map<Long, List<Assignment>> assignmentsByGroup) {
      this.targeted = targeted;
      this.libraryRules = libraryRules;
      this.libraryNames = libraryNames;
      this.assignmentsByGroup = assignmentsByGroup;
    }
  }

  public static final class Alert {
    public final long id;
    public final String text;
    public final String contentHash;
    public final Instant createdAt;
    public final Instant expiresAt;
    public final Set<Long> screens;

    public Alert(long id, String text, String contentHash, Instant createdAt, Instant expiresAt, Set<Long> screens) {
      this.id = id;
      this.text = text;
      this.contentHash = contentHash;
      this.createdAt = createdAt;
      this.expiresAt = expiresAt;
      this.screens = screens;
    }

    boolean sameAs(Alert o) {
      return id == o.id && text.equals(o.text) && contentHash.equals(o.contentHash) && createdAt.equals(o.createdAt)
          && expiresAt.equals(o.expiresAt) && screens.equals(o.screens);
    }
  }

  /** Alerts not cleared and not yet expired when loaded, newest first. */
  public static final class Alerts {
    public final List<Alert> live;

    public Alerts(List<Alert> live) {
      this.live = live;
    }

    /** Whether both hold the same alerts with the same texts, targets and times (so the same playlists). */
    public boolean sameAs(Alerts o) {
      if (o == this) {
        return true;
      }
      if (o == null || live.size() != o.live.size()) {
        return false;
      }
      for (int i = 0; i < live.size(); i++) {
        if (!live.get(i).sameAs(o.live.get(i))) {
          return false;
        }
      }
      return true;
    }

    /** The earliest expiry after now, or null: when it passes, playlists change. */
    public Instant nextExpiryAfter(Instant now) {
      Instant best = null;
      for (Alert a : live) {
        if (a.expiresAt.isAfter(now) && (best == null || a.expiresAt.isBefore(best))) {
          best = a.expiresAt;
        }
      }
      return best;
    }
  }
}
