"""Turns raw question text (Slack markup, code, chatter) into the tokens the matcher scores."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

# Slack delivers mentions, channels, links and broadcasts as <...> control sequences; user text
# has &, < and > escaped as entities. See SLACK.md, "Messages and Block Kit".
_USER = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_BROADCAST = re.compile(r"<![^>]*>")
_LINK = re.compile(r"<((?:https?|mailto):[^>|]*)(?:\|([^>]*))?>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Characters of no width (zero-width space and joiners, word joiner, byte-order mark), which
# some editors and pastes put between or inside words: removed, not made spaces.
_NO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")
# A flag whose "--" a phone or a Mac turned into a dash ("docker run \u2014rm"): a dash right
# before a letter and not right after one ("pros\u2014cons" is punctuation).
_DASHED_FLAG = re.compile("(?<![\\w-])[\u2013\u2014](?=[A-Za-z])")
# The Docker CLI's prefix on every daemon error says nothing about which error it is.
_DAEMON_ERROR = re.compile(r"(?:docker:\s*)?error\s+response\s+from\s+daemon:?", re.IGNORECASE)

# A flag only starts a token after whitespace, so "docker-compose" stays two words, "-p" stays "-p".
# Dotted numbers are one token: an address ("127.0.0.1", "0.0.0.0") says something about
# networking, while a version ("3.12", "22.04", "1.27.3") says nothing about the topic and is
# dropped, so "python 3.12" does not match "python:3.12-slim" on its digits. A full stop after
# one ends the sentence ("bind it to 127.0.0.1.").
_TOKEN = re.compile(r"(?<![\w-])--?[a-z][a-z0-9-]*|\d+(?:\.\d+)+(?!\w|\.\d)|[a-z0-9]+")
_VERSION = re.compile(r"\d+(?:\.\d+){1,2}")
_DOTTED = re.compile(r"\d\.\d")  # where a dotted number can start; most full stops end sentences
_PLAIN = re.compile(r"[a-z0-9]+")
# Every byte but a-z and 0-9 as a space: for ASCII text, splitting after this translation gives
# the runs of [a-z0-9] about twice as fast as the regex.
_ALNUM_BYTES = bytes(b if 48 <= b <= 57 or 97 <= b <= 122 else 32 for b in range(256))


def alnum_runs(text: str) -> list[str]:
    """The runs of [a-z0-9] in text, in order (anything else, capitals included, separates)."""
    if text.isascii():
        return text.encode().translate(_ALNUM_BYTES).decode().split()
    return _PLAIN.findall(text)


# Words that carry no topic: English function words, question words, chat filler and politeness,
# as typed in a hurry too ("wat", "shud", "w/", "idk"): a word no topic uses counts against
# every topic, so left in, chat spelling made a plain question look like something else.
# "The docker equivalent of kubectl logs" asks about logs: "equivalent" only says the asker
# knows another tool, and counted it pulled the few cards whose phrasings say it.
# So do the people around the asker, when it broke and where they looked ("my boss wants it
# today", "it worked yesterday", "i read the docs and i'm confused", "chatgpt says"): the few
# cards whose phrasings tell such a story ("explain docker to my boss", "my container from
# yesterday") took any question that said them. "eli5" asks for a plain answer, as "beginner".
# Domain words (abbreviations, synonyms) live in knowledge/synonyms.yaml, not here.
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any anyone anybody anything are aren as at
    be because been before being below between both but by can cannot could couldn d did didn do
    does doesn doing don done down during each either else even ever every few for further
    get gets getting got gonna going had hadn has hasn have haven having he her here hers herself
    him himself his how i if in into is isn it its itself just ll let lets m me might mine more most
    much must my myself need needs no nor not now of off often on once one only or other ought our
    ours ourselves out over own please pls plz re really s same shall she should shouldn so some
    something somehow such t than that thats the their theirs them themselves then there these
    they this those through to too under until up upon us ve very via want wanna was wasn way ways
    we were weren what whats when where whether which while who whom whose why will with within
    without won would wouldn y yes yet you your yours yourself yourselves
    hi hey hello hiya yo morning folks guys team everyone all thanks thank thx ty cheers
    quick question questions ask asking wondering wonder trying try tried figure idea ideas
    anyone know knows anybody help helps explain explained tell me exactly basically actually
    like kind sort maybe probably simple simply best good better correct right proper properly
    possible also still already anymore stuff thing things lol btw fyi ok okay sure great
    fix fixed fixes fixing solve solved solution issue issues problem problems wrong weird
    use using used uses work working works mean means meaning meant someone somebody anyone please
    cant wont dont doesnt didnt isnt arent wasnt werent hasnt havent hadnt wouldnt shouldnt
    couldnt mustnt im ive youre youve youll theyre theyve weve whos wheres theres heres hows
    able definitely totally super sorry literally honestly seriously anyway anyways tho though
    although eg ie etc ppl plenty extremely lot lots bunch ton tons newbie noob
    sane reasonable fine recommended ideal acceptable advisable wise legit bad worse worst
    dumb stupid silly opinion opinions thoughts people say says said
    wanted understand understood however hence therefore thus whichever whenever whatever wherever
    sometimes usually normally typically generally specifically entirely completely fully partially
    certainly pretty quite somewhat guess hope think thought knew told seem seems seemed regarding
    clarify easily easy anyhow mainly commonly
    easiest simplest cleanest quickest neatest nicest smartest laziest
    w u ur r n wat wut wht wtf kinda sorta gotta dunno lemme gimme rn idk smth sth abt bc cuz coz
    shud shld cud wud wich evry teh hw plss sry srry suppose supposed ya yeah yea hmm um uh omg
    lmao haha ah oh wow cool nice awesome alright yall tysm tia advance appreciate appreciated
    regards afternoon evening imo imho afaik asap urgent urgently kindly hopefully ideally
    equivalent equivalents counterpart counterparts
    asks asked wants needed needing helped helping ones thinks thinking hoped hoping guessed
    wondered figured figuring explains explaining tells telling understands
    tbh iirc fwiw afaict ngl idc lmk ikr rly thru bcoz becoz ofc obv obvs defo hm umm erm welp
    yep yup nope nah dude bro halp tmrw googling googled
    beginner beginners newbies noobs novice novices newcomer newcomers eli5
    worked guy boss bosses colleague colleagues coworker coworkers teammate teammates friend
    friends teacher teachers professor student students yesterday today tomorrow tonight
    docs documentation confused confusing confuse confusion cc chatgpt copilot rtfm weekend
    mentor bonus deadline eod ugh frustrated frustrating apologies
    """.split()
)

# A message that only thanks the bot or says its answer worked ("thanks, that worked!", "ty",
# "perfect, got it"): people say it in the thread or DM after an answer, and it asks nothing.
# Read as a question, "worked" was a word of the swarm card's ("worker"). A negation ("it still
# doesn't work") makes it a complaint, which the matcher reads as usual.
GRATITUDE = frozenset("thanks thank thx ty tysm tyvm cheers appreciate appreciated kudos".split())
ACKNOWLEDGEMENT = frozenset(
    "worked works helped helps helpful perfect awesome nice cool great ok okay got gotcha makes "
    "sense brilliant amazing excellent wonderful lovely neat sweet".split()
)
# What else a thank-you says: who it helped and how much ("thanks, that helped my colleague a
# lot", "thanks a ton, saved my day", "cheers mate, that sorted it", "great answer, thank you").
_THANKS_TALK = frozenset(
    "fixed solved sorted saved trick answer answers explanation lot ton bunch much day life mate "
    "buddy colleague colleagues coworker coworkers teammate teammates team boss manager happy "
    "glad".split()
)
# When the help came: "thanks everyone for the help yesterday" still only thanks.
_WHEN = frozenset("yesterday today earlier tonight last week".split())
_THANKS = GRATITUDE | ACKNOWLEDGEMENT
_NEGATION = frozenset(
    "not no never nothing still but doesn doesnt didn didnt isn isnt don dont won wont cant "
    "cannot".split()
)


def is_thanks(text: str) -> bool:
    """Whether cleaned text only thanks or acknowledges ("thanks!", "that worked, cheers")."""
    tokens = words(text)
    said = set(tokens)
    if not said & _THANKS or said & _NEGATION:
        return False
    return all(t in _THANKS or t in STOPWORDS or t in _WHEN or t in _THANKS_TALK for t in tokens)


# What a message says around its question: greetings, thanks, sign-offs, asking for help. All
# but "kudos" and "tyvm" are stopwords, so no term is made of them; re-ranking, which compares
# the question's words with the phrasings', leaves them out too, so "hi all" or "thanks in
# advance!" cannot tip a close call.
CHAT = GRATITUDE | frozenset(
    "hi hey hello hiya yo morning afternoon evening folks guys team everyone all yall tia advance "
    "regards please pls plz sorry lol haha ah oh wow cool nice awesome ok okay asap urgent "
    "urgently kindly hopefully quick question questions anyone anybody someone somebody know "
    "help wondering".split()
)


_IN_ADVANCE = re.compile(r"\bin advance\b")  # "thanks in advance": the "in" goes too


def without_chat(text: str) -> str:
    """Space-separated words without the CHAT ones (the text itself when nothing else is left)."""
    if "advance" in text:
        text = _IN_ADVANCE.sub(" ", text)
    kept = [w for w in text.split() if w not in CHAT]
    return " ".join(kept) if kept else text


# "docker" alone says nothing about which part of Docker: a question made of it and stopwords
# only ("docker", "docker?", "docker pls") is too vague to answer, unless it asks for something
# ("what is docker", "why use docker"): then the overview topic is what it wants.
GENERIC = frozenset({"docker", "dockers"})
REQUEST = frozenset(
    "what whats why how explain explained tell describe define definition meaning purpose "
    "wat wut wht wats "  # typed in a hurry, as STOPWORDS has them
    "point benefit benefits advantage advantages overview intro introduction "
    "beginner beginners newbie newbies noob noobs novice novices newcomer newcomers eli5".split()
)


# The form of a question says which kind of card it wants: "how do i…", "command to…" ask
# for the steps of a how-to, "what is…", "explain…" for the idea of a concept. English
# question forms, not Docker words: those live in the knowledge base.
_ASKS_HOW = re.compile(
    r"\b(?:how (?:do|can|should|would) (?:i|we|you)|how to|command (?:to|for)|way to|steps to)\b"
)
_ASKS_WHAT = re.compile(r"\b(?:what (?:is|are|does)|whats|what's|explain|meaning of|define)\b")


def asked_form(text: str) -> str | None:
    """The kind of card ("howto", "concept") the form of cleaned text asks for, if any."""
    if _ASKS_HOW.search(text):
        return "howto"
    return "concept" if _ASKS_WHAT.search(text) else None


# Slack's emoji shortcodes (":sweat_smile:", ":+1::skin-tone-2:") say how the asker feels, not
# what they ask about. Only a whole code between spaces (or another code) with a letter in it:
# "-v /data:/data:ro" and "-p 127.0.0.1:8080:80" stay as they are.
_EMOJI = re.compile(r"(?<![^\s:]):(?:[a-z0-9_+-]*[a-z][a-z0-9_+-]*|[+-]1):(?![^\s:.,!?])")

# A flag said aloud, or typed as said: "compose up dash d", "copy dash dash from". Short words
# after a lone "dash" are English ("is sh dash or bash"), not a flag.
_SPOKEN_DOUBLE = re.compile(r"\bdash dash ([a-z][a-z-]*)")
_SPOKEN_SINGLE = re.compile(r"\bdash ([a-z]{1,2}|rm)\b")
_NOT_A_FLAG = frozenset("is in or as on at to an of so no do be me my we us if vs".split())
# The editor, not a comparison: "a compose service as a VS Code dev container" compares nothing.
_VSCODE = re.compile(r"\bvs[\s-]?code\b")
# Slack's italics ("_docker rename_"): an underscore at the edge of a word, not inside one
# ("network_mode", "mem_limit"). Left in, it glued itself to the word, so "\bdocker" and the
# other word-boundary patterns no longer found the words it wraps.
_ITALIC = re.compile(r"(?<!\w)_+|_+(?!\w)")
# The number of a numbered list ("1. what is a bind mount\n2. when do i use one"), as Slack
# sends the lists people type: formatting, not a number the question is about. Not a version
# ("3.12 is slow"): the full stop or bracket must be followed by a space or the end.
_LIST_NUMBER = re.compile(r"(?m)^[ \t]*\d{1,2}[.)](?=\s|$)")
# A forum post's labels for what the asker added later, at the start of a line ("Edit: solved",
# "UPDATE 2: still failing", "P.S. new to this"), and a subreddit ("hey r/docker"): where the
# words come from, not what they ask. Left in, "edit" was a card's word and "r/docker" the word
# "docker". A "ps:" label stays: "ps: command not found" is the shell's error.
_POST_LABEL = re.compile(
    r"(?im)^[ \t>*_]*(?:edit|update|upd|eta)[ \t]*\d*[ \t]*:|\bp\.s\."
    # "Context: we are a small team", "Background: ..." with prose after it; not Compose's
    # "context: ./app" on a line of its own.
    r"|^[ \t>*_]*(?:context|background|setup)[ \t]*:(?=[ \t]*[a-z']+[ \t]+[a-z0-9'])"
)
_SUBREDDIT = re.compile(r"(?<![\w/])r/[A-Za-z0-9_]+")
# What an asker says about themselves or their search rather than about Docker: "i'm new to
# docker", "total noob here", "just started using docker", "am i missing something", "couldn't
# find anything". Its words are Docker's elsewhere ("new" image, "total" disk use, "missing"
# file, "find" a container's address), so left in they pulled a question about volumes to the
# disk-usage card or the overview. What follows "new to" stays: "new to docker" still names
# Docker. "beginner" and its kin are stopwords and REQUEST words instead ("docker for
# beginners" asks for the overview).
_ASKER = re.compile(
    r"\b(?:(?:very|pretty|quite|fairly|relatively|completely|totally|brand|super|still|really"
    r"|kinda) )?new to(?: (?:docker|containers|containerization|containerisation))?\b"
    r"|\b(?:total|complete|absolute|utter)(?= (?:docker |linux |container )?(?:beginner|newbie"
    r"|noob|novice|newcomer))"
    r"|\bfirst time(?= (?:using|with|trying|working|touching|setting up)\b)"
    r"|\b(?:just|recently) (?:started|starting|began|begun|got started) (?:learning|using"
    r"|playing with|to learn|to use|with|out with|on)\b"
    r"|\b(?:am i|are we|what am i|what are we|i(?:'|\u2019)?m|i am|we(?:'|\u2019)?re)"
    r" (?:just |probably )?missing (?:something|anything)\b"
    r"|\bfind (?:anything|nothing|an answer|any answers?|a solution|any solutions?|much|a fix"
    r"|any info)\b"
    r"|\b(?:if|in case|not sure if|dunno if|idk if) (?:that|it|this) (?:matters|helps|is relevant"
    r"|makes a difference)\b"
    # ...and about their post: "long time lurker, first time poster", "sorry for the long post",
    # "english is not my first language", "stuck on this for hours", "tl;dr".
    r"|\blong[- ]time lurker\b|\bfirst[- ]time poster\b|\bwall of text\b"
    r"|\bsorry (?:for|about) (?:the|this|my) (?:long|lengthy) (?:post|question|message|text)\b"
    r"|\b[a-z]+ (?:is not|isn't|isnt) my (?:first|native|main|mother) (?:language|tongue)\b"
    r"|\bstuck (?:on|with) (?:this|it) (?:for|since) (?:hours|days|ages|weeks|a while"
    r"|(?:a few|two|three|several|many) (?:hours|days))\b"
    r"|\btl;? ?dr\b"
    # ...and how they frame it: "any pointers?", "sanity check:", "following up on my question",
    # "i read the docs", "not sure this is the right channel", "sorry for my bad english", "for
    # a side project", "i'm a frontend dev". Left in, each word pulled questions to the few
    # cards whose phrasings use it ("is a tag just a pointer", "compose project", "dev container").
    r"|\b(?:any|some|a few|a couple of) pointers\b|\bpointers (?:appreciated|welcome)\b"
    r"|\bsanity[- ]check(?: (?:please|pls|needed|here|question))? ?:"
    r"|\bfollowing up (?:on|to)\b"
    r"|\b(?:read|checked|looked at|looked through|went through|searched) (?:the|all the|their)"
    r" (?:official )?(?:docs|documentation)\b"
    r"|\b(?:right|correct|wrong|best|appropriate|proper) (?:channel|place|forum|sub)\b"
    r"|\b(?:for|excuse|pardon|forgive) (?:my|the) (?:bad|poor|broken|weak) english\b"
    r"|\bmy english is\b"
    r"|\b(?:go|be) easy on (?:me|us)\b|\bbear with (?:me|us)\b"
    # ...and how they sign off: "happy to provide more details or logs", "let me know if you
    # need more info", "hope you're all doing well", "thanks for reading this far", "sorry for
    # the ping", "sorry to bother you again", "spent the whole weekend on this", "cross-posted
    # from #devops", "many thanks", "example below". ("Why bother with docker" keeps its
    # "bother": it asks what Docker is for.)
    r"|\b(?:happy|glad|willing) to (?:provide|share|post|send|add|give)(?: (?:more|any|further"
    r"|additional|the))? (?:details?|logs?|info|information|output|context|config|files?)"
    r"(?: (?:or|and) (?:details?|logs?|info|information|output|context|config|files?))?\b"
    r"|\blet me know if (?:you|u|anyone) (?:need|want|needs|wants)(?: (?:more|any|further"
    r"|additional|the))? (?:info|information|details?|logs?|context|output)\b"
    r"|\bhope (?:you(?:'re| are)?|everyone(?:'s| is)?|y'?all(?: are)?) (?:all )?(?:doing )?"
    r"(?:well|good|great|fine|ok)\b"
    r"|\bfor reading(?: this far| all this| this| my post)?\b"
    r"|\bsorry (?:for|about) the (?:ping|tag|mention|noise|spam)\b"
    r"|\bsorry (?:to|for) bother(?:ing)? (?:you|y'?all|everyone)(?: all| guys| again)*\b"
    r"|\b(?:spent|wasted|lost) (?:the |my )?(?:whole |entire |all )?(?:day|days|weekend|night"
    r"|morning|afternoon|evening|week|hours)(?= (?:on|with|trying|debugging|fighting)\b)"
    r"|\bcross[- ]?posted(?: (?:from|in|to) #?[\w-]+)?"
    # ...and what they are going through: "if that makes sense", "my first post here", "this is
    # driving me crazy", "at my company", "i watched a youtube video", "doing an online course",
    # "for a school assignment".
    r"|\b(?:if|does) (?:that|this|it) makes? sense\b"
    r"|\bmy first (?:post|question)(?: here| on here| in this (?:channel|group|community))?\b"
    r"|\b(?:driving|drives|drove) me (?:crazy|nuts|insane|mad)\b"
    r"|\bat (?:my|our) (?:company|work|job|office|workplace|org|organi[sz]ation|employer)\b"
    r"|\b(?:watched|followed|went through) (?:a|the|some|several|many|a few|a bunch of|this|that)"
    r" (?:youtube |online |udemy )?(?:videos?|tutorials?|courses?|guides?)\b"
    r"|\b(?:doing|taking|following) (?:an|a|the|this|my) (?:online |udemy |uni |university )?"
    r"(?:course|class|bootcamp)\b"
    r"|\b(?:for|it's for) (?:a|an|my|our) (?:school|uni|university|class|college|homework)"
    r" (?:assignment|project|task|exercise)\b"
    r"|\bmany thanks\b|\b(?:see )?(?:an |the )?(?:example|examples|details|more) (?:below|above"
    r"|attached)\b|\bsee (?:below|above|attached)\b"
    r"|\b(?:side|pet|hobby|personal|school|uni|university|class) project\b"
    r"|\bi(?:'|\u2019)?m (?:not )?(?:a|an) (?:[a-z]+ )?(?:dev|developer|engineer|programmer"
    r"|designer|student|sysadmin|admin|analyst|scientist|researcher)\b"
    # ...and what they ask about the question itself, or why it matters: "what's the best
    # practice here?", "this is blocking our release". "here" and "this" point back at the
    # question, so "dockerfile best practices" keeps its words; left in, "practice" took a
    # hundred questions to the best-practices cards, and "blocking" and "release" others.
    r"|\b(?:(?:what(?:'|\u2019)?s|what is|what are|which is|is there|are there|any)"
    r"(?: the| a| an)? )?"
    r"(?:best|recommended|usual|standard|proper|right|correct|cleanest|preferred) (?:practices?"
    r"|way|approach)(?: to do (?:it|this|that))?"
    r" (?:here|for this|for that|in this case|in that case)\b"
    r"|\b(?:this|it|that)(?:(?:'|\u2019)?s| is| has been) (?:blocking|holding up|holding back)"
    r"(?: (?:us|me|everyone|everything)\b| (?:our|my|the|a)(?: whole| entire)? (?:release|deploy"
    r"|deployment|launch|sprint|team|pr|work|ticket|rollout|migration|project)\b)"
)
# A word each _ASKER match has.
_ASKER_HINTS = frozenset(
    "new missing find first started starting began begun total complete absolute utter matters "
    "helps relevant difference lurker poster wall sorry language tongue stuck tl tldr pointers "
    "sanity following docs documentation channel place forum sub english project dev developer "
    "engineer programmer designer student sysadmin admin analyst scientist researcher easy "
    "bear happy glad willing let hope reading spent wasted lost cross crossposted thanks below "
    "above attached sense driving drives drove company work job office workplace org "
    "organisation organization employer videos video tutorial tutorials course courses guide "
    "guides class bootcamp assignment task exercise practice practices way approach blocking "
    "holding".split()
)
# The release of an operating system named in passing ("windows 11", "centos 7", "debian 12"),
# like a dotted version, says nothing about the topic: the system's name is kept.
_RELEASE_HINTS = frozenset(
    "windows win macos ubuntu debian fedora centos rhel rocky alpine".split()
)
_OS_RELEASE = re.compile(rf"\b({'|'.join(sorted(_RELEASE_HINTS))}) \d{{1,2}}\b(?!\.\d)")
# ...and so does "running" before it ("my laptop running fedora", "(running on ubuntu 22.04)"):
# the asker's system, not a container run. "docker run alpine" and "a container running
# alpine" (an image) keep theirs.
_RUNNING_OS = re.compile(
    r"(?<!container )(?<!containers )(?<!docker )\b(?:running|runs) (?=(?:on )?(?:windows|win"
    r"|macos|mac|osx|ubuntu|debian|fedora|centos|rhel|rocky|arch|mint|wsl|wsl2)\b)"
)
_HINTS = _ASKER_HINTS | _RELEASE_HINTS
# What `docker --version` and `docker compose version` print, pasted below a question
# ("Docker version 27.3.1, build ce12230"): which release, not what is asked. Left in, "build"
# took the question to the build cards and "docker" lifted out-of-scope ones over the decline
# line. A question about a release ("is docker version 20.10 still supported") keeps its words.
_VERSION_OUTPUT = re.compile(
    r"\bdocker(?:-compose| compose)? version v?\d+(?:\.\d+)+[^\s,]*,? build [0-9a-f]{6,}\b"
    r"|\bdocker compose version v\d+(?:\.\d+)+\S*"
)
# Microsoft's .NET ("a .net 8 api", "asp.net core") is not "net", the short form of network
# (synonyms.yaml): it is the one word dotnet, as its command spells it. A host name's ".net"
# ("registry.example.net") is left alone.
_DOTNET = re.compile(r"(?:(?<![\w.])|(?<=asp))\.net\b(?!\.\w)")
# Chat shorthand whose letters are terms of the knowledge base's: "w/o" (without) left an "o",
# the "o" of "i/o"; the "q" of "Q:", "quick q" or "noob q" (a question) is the key of
# "ctrl-q". Not a path's "w/o" ("/srv/w/o"), a flag ("-q"), or a key: a text that names the
# ctrl key keeps its q ("ctrl p q").
_SHORTHAND = re.compile(r"(?<![\w/.-])w/o(?![\w/])|(?<![\w+-])q(?![\w+-])")


def clean(text: str) -> str:
    """Strip Slack markup and control characters, unescape entities, lowercase."""
    if "<" in text:  # Slack control sequences all start with "<"
        text = _USER.sub(" ", text)
        text = _CHANNEL.sub(lambda m: f" {m.group(1) or ''} ", text)
        text = _BROADCAST.sub(" ", text)
        text = _LINK.sub(lambda m: f" {m.group(2) or ''} ", text)
    text = text.replace("`", " ")
    if "&" in text:
        text = html.unescape(text)
    # Most texts hold neither a control character nor the daemon prefix: skip those scans.
    # Control and zero-width characters go first (an entity can make one), so that the prefix
    # is found whatever separates its words.
    if not text.isprintable():  # False for any control character, newlines and tabs included
        text = _NO_WIDTH.sub("", _CONTROL.sub(" ", text))
    if "daemon" in text.lower():
        text = _DAEMON_ERROR.sub(" ", text)
    if not text.isascii():
        text = _DASHED_FLAG.sub("--", text)
    if ":" in text:
        text = _EMOJI.sub(" ", text)
    if "_" in text:
        text = _ITALIC.sub(" ", text)
    if text[:1].isspace() or text[:1].isdigit() or "\n" in text:
        text = _LIST_NUMBER.sub(" ", text)
    if ":" in text or "." in text:
        text = _POST_LABEL.sub(" ", text)
    if "r/" in text:
        text = _SUBREDDIT.sub(" ", text)
    text = " ".join(text.lower().split())
    if ".net" in text:
        text = _DOTNET.sub(" dotnet ", text)
    if "version" in text:
        text = _VERSION_OUTPUT.sub(" ", text)
    if "q" in text or "w/o" in text:
        text = _SHORTHAND.sub(_shorthand, text)
    # One look at the words says which of the two patterns can match: searching every text
    # with both would cost the index build about a twentieth of its time.
    hints = _HINTS.intersection(alnum_runs(text))
    if hints and not hints.isdisjoint(_ASKER_HINTS):
        text = _ASKER.sub(" ", text)
    if hints and not hints.isdisjoint(_RELEASE_HINTS):
        text = _OS_RELEASE.sub(r"\1", text)
    if "runs" in text or "running" in text:
        text = _RUNNING_OS.sub("", text)
    if "dash " in text:
        text = _SPOKEN_SINGLE.sub(_single, _SPOKEN_DOUBLE.sub(r"--\1", text))
    return _VSCODE.sub("vscode", text) if "vs" in text else text


def _shorthand(match: re.Match[str]) -> str:
    if match.group(0) == "w/o":
        return " without "
    return match.group(0) if "ctrl" in match.string or "control" in match.string else " "


def _single(match: re.Match[str]) -> str:
    name = match.group(1)
    return match.group(0) if name in _NOT_A_FLAG else f"-{name}"


def fold_accents(text: str) -> str:
    """Letters with marks as their plain letters ("máquina" -> "maquina", "naïve" -> "naive"),
    so that a word typed with an accent is one word and not two cut at the accent."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The raw word and flag tokens of cleaned text, stopwords included."""
    if not text.isascii():
        text = fold_accents(text)
    if "." not in text or not _DOTTED.search(text):  # no dotted number, so no version to drop
        # With no "-" either, no flag can start, and _TOKEN finds just the runs of [a-z0-9]:
        # most texts.
        return _TOKEN.findall(text) if "-" in text else alnum_runs(text)
    found = _TOKEN.findall(text)
    return [t for t in found if "." not in t or not _VERSION.fullmatch(t)]


# Words the suffix rules would merge with a different word: "stats" (usage figures) would
# become "stat", the stem of "state" and "states" (a container's lifecycle), and "windows"
# (the operating system) would become "window" (what a GUI app opens), and "locale" (a
# language setting) would become "local" (this machine). A plural "locales" is "locale".
_WHOLE = frozenset({"stats", "windows", "locale"})


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper: plural, -ing, -ed and final -e, so remove/removed/removing meet.

    Applied the same way to questions and phrasings, consistency matters more than linguistics.
    """
    if word.startswith("-") or any(c.isdigit() for c in word) or len(word) <= 3 or word in _WHOLE:
        return word
    if word[:-1] in _WHOLE and word.endswith("s"):
        return word[:-1]
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix, minimum in (("ing", 6), ("ed", 5)):
        if word.endswith(suffix) and len(word) >= minimum:
            word = word[: -len(suffix)]
            if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


# Words that say a question is about Docker itself. A card about another tool used with Docker
# (nginx, cron, a database, CI: `needs_docker_word` in its file) is sure of a question only
# when it names one of these or a docker command: "nginx 502 bad gateway" is about nginx.
DOCKER_WORDS = frozenset(
    stem(w)
    for w in "docker dockerfile dockerd dockerized compose container containerized containerd "
    "image podman swarm buildx buildkit moby volume docker0".split()
)

# Words that say where the asker runs Docker: the operating system, the laptop. People add them
# in passing ("how do i list my images? i'm on a mac m1 btw", "(windows 11 + wsl2)"), and as
# rare words in the knowledge base (a few cards are about Macs, Windows and chips) they weighed
# more than the rest of the question together: the M1 aside took 434 of the tuning file's and
# content sets' questions to the multi-platform card. They weigh Params.platform_weight of
# their IDF, in questions and phrasings alike; a question about the platform itself still has
# the platform's card's other words ("does not run", "wsl integration", "exec format error").
PLATFORM_WORDS = frozenset(
    stem(w)
    for w in "macos m1 m2 m3 windows wsl wsl2 ubuntu debian fedora centos rhel rocky laptop".split()
)
