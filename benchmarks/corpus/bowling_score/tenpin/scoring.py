"""Frame scores with strike and spare bonuses."""

from .frames import FRAMES, PINS, split_frames, validate


def is_strike(frame):
    return frame[0] == PINS


def is_spare(frame):
    return len(frame) >= 2 and not is_strike(frame) and frame[0] + frame[1] == PINS


def frame_scores(rolls):
    """Score of each frame that can already be scored; a strike or spare waits for its bonus rolls."""
    validate(rolls)
    scores, i = [], 0
    for number, frame in enumerate(split_frames(rolls), 1):
        if number == FRAMES:
            if len(frame) == 3 or (len(frame) == 2 and sum(frame) < PINS):
                scores.append(sum(frame))
            break
        if is_strike(frame):
            bonus = rolls[i + 1:i + 3]
            if len(bonus) < 2:
                break
            scores.append(PINS + sum(bonus))
            i += 1
            continue
        if len(frame) < 2:
            break
        if is_spare(frame):
            if i + 2 >= len(rolls):
                break
            scores.append(PINS + rolls[i + 2])
        else:
            scores.append(sum(frame))
        i += 2
    return scores


def running_totals(rolls):
    totals, total = [], 0
    for score in frame_scores(rolls):
        total += score
        totals.append(total)
    return totals
