"""Re-record the knowledge base's video tutorials from the running product.

    .venv/bin/python -m saypro.knowledge.tutorials.record            # all of them
    .venv/bin/python -m saypro.knowledge.tutorials.record --only answer-a-review-with-the-coach
    .venv/bin/python -m saypro.knowledge.tutorials.record --base-url http://127.0.0.1:8000

Without ``--base-url`` the script builds a fresh demo marketplace in a
temporary folder (``saypro migrate`` and ``saypro demo --scale tiny``, about
a minute), serves it on a free port and stops it afterwards; your own
database is never touched. With ``--base-url`` it drives a server you run on
demo data (it logs in as the demo store owner and changes that store: it
answers a review, sends a message, saves a plan).

Each scene drives Debian's Chromium (``/usr/bin/chromium``) through
Playwright at 1280 × 720 with Playwright's video recording, and says what
happens at each step with ``Scene.step``. The steps become the WebVTT
captions, timed from the recording itself, so captions and pictures stay in
step when the UI changes. The raw recording is re-encoded with ffmpeg
(VP9, 15 frames a second, no sound) to a few hundred kilobytes and written to
``knowledge/static/knowledge/tutorials/<slug>.webm`` next to ``<slug>.vtt``.

Needs ffmpeg on the PATH (Debian: ``apt-get install ffmpeg``). Playwright
records through an ffmpeg of its own, which is not downloaded here: the
script points Playwright at the system one.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, sync_playwright

from saypro.core import webserver
from saypro.knowledge.tutorials import STATIC_DIR

CHROMIUM = Path("/usr/bin/chromium")
SIZE = {"width": 1280, "height": 720}
OWNER_EMAIL = "owner@demo.saypro.test"
OWNER_PASSWORD = "saypro-demo-2026"  # saypro.catalog.demo.DEMO_PASSWORD
STORE = "stellenbosch-atelier"  # the demo owner's store
READ = 3_000  # milliseconds a viewer gets to read a caption before the next step
TYPING_DELAY = 30  # milliseconds per key
# Chromium sends the recorder a picture only when something on the page changes, and the
# still stretches at the end of a step went missing from the video, which then ran ahead
# of the captions. A dot that never stops changing keeps the pictures coming.
KEEP_PAINTING = """
addEventListener("DOMContentLoaded", () => {
  const dot = document.createElement("div");
  dot.setAttribute("aria-hidden", "true");
  dot.style.cssText =
    "position:fixed;right:0;bottom:0;width:2px;height:2px;pointer-events:none;z-index:9999";
  document.body.append(dot);
  let frame = 0;
  const paint = () => {
    frame += 1;
    dot.style.background = frame % 2 ? "#f6f7f9" : "#f5f6f8";
    requestAnimationFrame(paint);
  };
  requestAnimationFrame(paint);
});
"""


@dataclass
class Scene:
    """One recording: the steps said so far, timed from the first picture."""

    page: Page
    started: float = 0.0
    steps: list[tuple[float, str]] = field(default_factory=list)

    def begin(self) -> None:
        """The video starts here (what came before, a blank page, is cut off)."""
        self.started = time.monotonic()

    def step(self, caption: str) -> None:
        self.steps.append((time.monotonic() - self.started, caption))

    def pause(self, milliseconds: int = READ) -> None:
        self.page.wait_for_timeout(milliseconds)

    def click(self, target: Locator) -> None:
        """Outline ``target`` for a moment, so viewers see what is clicked, then click it."""
        target.scroll_into_view_if_needed()
        target.evaluate(
            "element => { element.style.outline = '4px solid #f59e0b';"
            " element.style.outlineOffset = '3px'; }"
        )
        self.pause(900)
        target.evaluate("element => { element.style.outline = ''; }")
        target.click()

    def type(self, target: Locator, text: str) -> None:
        target.scroll_into_view_if_needed()
        target.click()
        target.press_sequentially(text, delay=TYPING_DELAY)

    def show(self, target: Locator) -> None:
        """Scroll ``target`` to the middle of the window."""
        target.evaluate("element => element.scrollIntoView({block: 'center', behavior: 'smooth'})")
        self.pause(800)

    def captions(self, length: float) -> str:
        """WebVTT: each step shows until the next one (the last until the end)."""
        lines = ["WEBVTT", ""]
        ends = [start for start, _ in self.steps[1:]] + [length]
        for number, ((start, text), end) in enumerate(zip(self.steps, ends, strict=True), 1):
            lines += [str(number), f"{_timestamp(start)} --> {_timestamp(end)}", text, ""]
        return "\n".join(lines)


def _timestamp(seconds: float) -> str:
    milliseconds = round(max(seconds, 0) * 1000)
    minutes, milliseconds = divmod(milliseconds, 60_000)
    return f"{minutes // 60:02d}:{minutes % 60:02d}:{milliseconds / 1000:06.3f}"


# --- The scenes: what each tutorial shows, step by step -----------------------------


def answer_a_review(scene: Scene) -> None:
    page = scene.page
    page.goto(f"/seller/{STORE}/reviews/")
    scene.begin()
    scene.step(
        "Seller Center › Reviews: the queue of reviews still waiting for an answer, "
        "with the time left of the 48-hour goal."
    )
    scene.pause(3_500)
    answerable = page.locator(".card").filter(has=page.get_by_role("link", name="Answer"))
    recent = answerable.filter(has_text="h left")  # not overdue: timeliness does not fail
    review = (recent if recent.count() else answerable).first
    scene.step("Open a recent review to answer it. The response coach sits beside the answer box.")
    scene.click(review.get_by_role("link", name="Answer"))
    page.wait_for_url("**/reviews/*/")
    scene.pause()
    answer = page.get_by_label("Your answer")
    scene.step("A hurried, defensive first draft. The coach scores it as you type…")
    scene.type(answer, "Please check the size guide before ordering. Our sizes are correct.")
    page.locator("#coach-score").wait_for()
    scene.pause(1_500)
    scene.step("…and flags each guideline it misses, with the reason highlighted.")
    scene.show(page.locator("#coaching"))
    scene.pause(4_500)
    scene.step(
        "“Use suggested answer” puts a draft written from this review in the box: "
        "it thanks the buyer, names the problem and offers a next step."
    )
    scene.click(page.get_by_role("button", name="Use suggested answer"))
    page.wait_for_function(
        "() => !document.querySelector('#id_body').value.startsWith('Please check')"
    )
    scene.pause(1_000)
    scene.show(page.locator("#coaching"))
    scene.pause(3_500)
    scene.step("Make it your own: add a personal line. The score updates as you write.")
    answer.press("ControlOrMeta+End")
    answer.press_sequentially(
        " I'm Lerato, the owner, and I read every review myself.", delay=TYPING_DELAY
    )
    scene.pause(1_500)
    scene.show(page.locator("#coach-score"))
    scene.pause(2_500)
    scene.step("Publish: the answer appears under the review and the buyer is told.")
    scene.click(page.get_by_role("button", name="Publish answer"))
    page.wait_for_load_state()
    scene.pause(3_500)


def quick_replies_and_cards(scene: Scene) -> None:
    page = scene.page
    page.goto(f"/seller/{STORE}/inbox/?box=waiting")
    scene.begin()
    scene.step("Seller Center › Inbox, Waiting: the buyers still waiting for your answer.")
    scene.pause(3_500)
    scene.step("Open a conversation: the buyer's messages, their orders and your reply box.")
    scene.click(page.locator("a.conversation-link").first)
    page.locator("[data-composer-text]").wait_for()
    scene.pause()
    picker = page.locator("details.quick-replies")
    if picker.get_attribute("open") is None:
        scene.click(picker.locator("summary"))
    scene.step("Quick replies: the ones that match the buyer's last message are suggested first.")
    scene.show(picker)
    scene.pause(3_500)
    scene.step("Insert puts the reply in the box with the buyer's name and the product filled in.")
    scene.click(picker.locator("[data-insert-reply]").first)
    scene.pause(1_000)
    composer = page.locator("[data-composer-text]")
    scene.show(composer)
    scene.pause(2_500)
    scene.step("Edit it as you like before sending: it is your message.")
    composer.press("ControlOrMeta+End")
    composer.press_sequentially(" Anything else I can help with?", delay=TYPING_DELAY)
    scene.pause(1_500)
    scene.step("“Add product cards” recommends products: tick one or more from your store.")
    cards = page.locator("details.card-picker")
    scene.click(cards.locator("summary"))
    scene.pause(1_000)
    scene.click(cards.locator("input[name=product_ids]").first)
    scene.pause(2_000)
    scene.step("Send: the reply and the product card appear in the conversation at once.")
    cards_before = page.locator(".message-card").count()
    scene.click(page.locator("[data-composer-send]"))
    page.wait_for_function(
        "count => document.querySelectorAll('.message-card').length > count", arg=cards_before
    )
    scene.show(page.locator(".message-card").last)
    scene.pause(4_000)


def insights_to_a_plan(scene: Scene) -> None:
    page = scene.page
    page.goto(f"/seller/{STORE}/insights/")
    scene.begin()
    scene.step(
        "Seller Center › Insights: what buyers say in their reviews, "
        "for the period and product you choose."
    )
    scene.pause(4_000)
    scene.step(
        "Rising issues: complaints that grew sharply in the last four weeks, "
        "with how many recent reviews mention them."
    )
    plan = page.get_by_role("link", name="Create a plan").first
    scene.show(plan)
    scene.pause(4_000)
    scene.step(
        "Themes: what buyers talk about, how often they complain and how much it costs your rating."
    )
    scene.show(page.locator("#themes-title"))
    scene.pause(4_000)
    scene.step("Back to the rising issue: “Create a plan” starts an improvement plan from it.")
    scene.show(plan)
    scene.click(plan)
    page.get_by_label("Problem statement").wait_for()
    scene.pause()
    scene.step(
        "The plan arrives filled in from a template: title, problem statement with the numbers, "
        "a goal and dated steps."
    )
    scene.show(page.get_by_label("Problem statement"))
    scene.pause(3_500)
    scene.step("Check the goal: the measure, today's value and the target date.")
    scene.show(page.get_by_label("Target", exact=True))
    scene.pause(3_500)
    scene.step("Change any step that does not fit your store, then save the plan.")
    scene.show(page.locator("#id_steps-0-text"))
    scene.pause(3_000)
    scene.click(page.get_by_role("button", name="Save plan"))
    page.wait_for_load_state()
    scene.step(
        "The plan is saved as proposed: start it when the work begins and tick steps off; "
        "the result is measured against the goal."
    )
    scene.pause(4_500)


SCENES: dict[str, Callable[[Scene], None]] = {
    "answer-a-review-with-the-coach": answer_a_review,
    "quick-replies-and-product-cards-in-the-inbox": quick_replies_and_cards,
    "from-insights-to-an-action-plan": insights_to_a_plan,
}


# --- Recording and encoding ------------------------------------------------------------


def record(browser: Browser, base_url: str, slug: str, work: Path) -> Path:
    """Play one scene; write ``<slug>.webm`` and ``<slug>.vtt`` to STATIC_DIR."""
    login = browser.new_context(base_url=base_url, viewport=SIZE, locale="en-ZA")
    page = login.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email", exact=True).fill(OWNER_EMAIL)
    page.get_by_label("Password", exact=True).fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/**")
    state = login.storage_state()
    login.close()

    raw_dir = work / slug
    context = browser.new_context(
        base_url=base_url,
        viewport=SIZE,
        locale="en-ZA",
        storage_state=state,
        record_video_dir=str(raw_dir),
        record_video_size=SIZE,
    )
    context.set_default_timeout(15_000)
    context.add_init_script(KEEP_PAINTING)
    scene = Scene(page=context.new_page())
    SCENES[slug](scene)
    raw = Path(scene.page.video.path())
    length = time.monotonic() - scene.started
    context.close()  # ends and writes the video

    STATIC_DIR.mkdir(parents=True, exist_ok=True)
    video = STATIC_DIR / f"{slug}.webm"
    # The video is cut from the end: the recording stops at ``context.close``, while its
    # first pictures (a blank page) come a moment after the page opened.
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-sseof", f"-{length:.3f}", "-i", str(raw),
         "-an", "-r", "15", "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "42", "-row-mt", "1",
         "-deadline", "good", "-cpu-used", "2", str(video)],
        check=True,
    )  # fmt: skip
    (STATIC_DIR / f"{slug}.vtt").write_text(scene.captions(length), encoding="utf-8")
    return video


@contextmanager
def playwright_with_system_ffmpeg() -> Iterator:
    """Playwright, told to record with the system's ffmpeg.

    Playwright looks for ``<browsers path>/ffmpeg-<revision>/ffmpeg-linux``;
    a temporary browsers path holds a link to ``ffmpeg`` under that name.
    """
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        sys.exit("ffmpeg is needed to record and encode the videos: apt-get install ffmpeg")
    import playwright

    browsers = json.loads(
        (Path(playwright.__file__).parent / "driver/package/browsers.json").read_text()
    )
    revision = next(b["revision"] for b in browsers["browsers"] if b["name"] == "ffmpeg")
    with tempfile.TemporaryDirectory(prefix="saypro-ffmpeg-") as folder:
        target = Path(folder) / f"ffmpeg-{revision}"
        target.mkdir()
        (target / "ffmpeg-linux").symlink_to(ffmpeg)
        previous = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
        os.environ["PLAYWRIGHT_BROWSERS_PATH"] = folder
        try:
            with sync_playwright() as driver:
                yield driver
        finally:
            if previous is None:
                os.environ.pop("PLAYWRIGHT_BROWSERS_PATH", None)
            else:
                os.environ["PLAYWRIGHT_BROWSERS_PATH"] = previous


@contextmanager
def demo_server(work: Path) -> Iterator[str]:
    """A fresh demo marketplace in ``work`` served on a free port; its base URL."""
    environment = {
        **os.environ,
        "SAYPRO_VAR_DIR": str(work / "var"),
        "DEBUG": "1",  # static files straight from the apps
    }
    environment.pop("DATABASE_URL", None)
    environment.pop("REDIS_URL", None)
    saypro = [sys.executable, "-m", "saypro"]
    subprocess.run([*saypro, "migrate", "--no-input", "-v", "0"], env=environment, check=True)
    subprocess.run([*saypro, "demo", "--scale", "tiny"], env=environment, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(webserver.command("127.0.0.1", port), env=environment)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=sorted(SCENES), action="append")
    parser.add_argument("--base-url", help="record against this running demo server")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="saypro-tutorials-") as folder:
        work = Path(folder)
        with (
            _given(options.base_url) if options.base_url else demo_server(work) as base_url,
            playwright_with_system_ffmpeg() as driver,
        ):
            browser = driver.chromium.launch(executable_path=str(CHROMIUM), headless=True)
            for slug in options.only or SCENES:
                video = record(browser, base_url.rstrip("/"), slug, work)
                print(f"{video}: {video.stat().st_size / 1e6:.2f} MB, captions beside it")
            browser.close()


@contextmanager
def _given(base_url: str) -> Iterator[str]:
    yield base_url


if __name__ == "__main__":
    main()
