"""Grouping a game's rolls into frames."""

PINS = 10
FRAMES = 10


class InvalidRolls(ValueError):
    pass


def split_frames(rolls):
    """Group pin counts into frames: lists of 1-2 rolls, and up to 3 in the tenth frame.

    An unfinished game yields its complete frames followed by the frame in progress.
    """
    frames, i = [], 0
    while i < len(rolls) and len(frames) < FRAMES:
        if len(frames) == FRAMES - 1:
            first_two = rolls[i:i + 2]
            bonus = len(first_two) == 2 and sum(first_two) >= PINS
            frames.append(list(rolls[i:i + (3 if bonus else 2)]))
            i = len(rolls)
        elif rolls[i] == PINS:
            frames.append([PINS])
            i += 1
        else:
            frames.append(list(rolls[i:i + 2]))
            i += 2
    return frames


def validate(rolls):
    for pins in rolls:
        if not 0 <= pins <= PINS:
            raise InvalidRolls(f"a roll knocks down 0..{PINS} pins, not {pins}")
    for number, frame in enumerate(split_frames(rolls)):
        if number < FRAMES and sum(frame) > PINS:
            raise InvalidRolls(f"frame {number} knocks down {sum(frame)} pins")
    if len(rolls) > 21:
        raise InvalidRolls("too many rolls")
