"""Academy pages per role: the catalog and course pages are public, lessons are for learners,
certificates verify publicly."""

import pytest
from django.urls import reverse

from saypro.academy import services
from saypro.academy.models import Attempt, Certificate, Course, Enrolment, LessonProgress
from saypro.academy.tests.factories import GOOD_ANSWER, WEAK_ANSWER, build_course
from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_course()


@pytest.fixture
def seller(client):
    user = MembershipFactory().user
    client.force_login(user)
    return user


def lesson_url(world, lesson):
    return reverse("academy:lesson", kwargs={"slug": world.course.slug, "key": lesson.key})


def test_the_catalog_is_public_searchable_and_hides_drafts(client, world):
    build_course(slug="hidden", status=Course.Status.DRAFT).course.title = "Hidden"

    page = client.get(reverse("academy:catalog"))
    found = client.get(reverse("academy:catalog"), {"q": "responding", "level": "beginner"})
    none = client.get(reverse("academy:catalog"), {"q": "astrophysics"})

    assert page.status_code == 200 and page.content.decode().count("course-card") == 1
    assert "Responding to reviews" in found.content.decode()
    assert "No course matches" in none.content.decode()


def test_a_draft_course_is_404_for_sellers_and_a_preview_for_staff(client, world):
    draft = build_course(slug="draft", status=Course.Status.DRAFT).course
    url = reverse("academy:course", kwargs={"slug": draft.slug})

    assert client.get(url).status_code == 404
    client.force_login(UserFactory(is_staff=True))
    assert "Preview: this course is draft" in client.get(url).content.decode()


def test_anonymous_visitors_are_sent_to_log_in_and_buyers_cannot_enrol(client, world):
    enrol = reverse("academy:enrol", kwargs={"slug": world.course.slug})
    assert client.get(lesson_url(world, world.reading)).status_code == 302
    assert "/accounts/login/" in client.post(enrol)["Location"]

    client.force_login(UserFactory())
    response = client.post(enrol)

    assert response.status_code == 403
    assert "The Seller Academy is for sellers" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_enrolling_opens_the_first_lesson_rendered_safely(client, world, seller):
    response = client.post(reverse("academy:enrol", kwargs={"slug": world.course.slug}))
    assert response["Location"] == lesson_url(world, world.reading)

    page = client.get(response["Location"]).content.decode()

    assert "Buyers read answers." in page and "<script>alert(1)</script>" not in page
    assert Enrolment.objects.get().last_lesson == world.reading


def test_continue_on_the_course_page_and_catalog_resumes_the_lesson_opened_last(
    client, world, seller
):
    services.enrol(seller, world.course)
    services.complete_lesson(seller, world.reading)
    services.open_lesson(seller, world.exercise)  # the quiz, lesson 2, is not done either
    resume = f'href="{lesson_url(world, world.exercise)}">Continue: Answer an angry review</a>'

    course_page = client.get(world.course.get_absolute_url()).content.decode()
    catalog = client.get(reverse("academy:catalog")).content.decode()

    assert resume in course_page and resume in catalog


def test_a_recommended_lesson_opens_after_enrolling(client, world, seller):
    url = lesson_url(world, world.exercise)

    away = client.get(url)  # not enrolled yet: the course page, which remembers the lesson
    page = client.get(away["Location"]).content.decode()
    enrolled = client.post(
        reverse("academy:enrol", kwargs={"slug": world.course.slug}),
        {"lesson": world.exercise.key},
    )

    assert away["Location"] == f"{world.course.get_absolute_url()}?lesson=practice"
    assert "You will start with the lesson “Answer an angry review”." in page
    assert '<input type="hidden" name="lesson" value="practice">' in page
    assert enrolled["Location"] == url
    assert Enrolment.objects.get().user == seller


def test_enrolling_with_an_unknown_lesson_opens_the_first_one(client, world, seller):
    response = client.post(
        reverse("academy:enrol", kwargs={"slug": world.course.slug}), {"lesson": "nope"}
    )

    assert response["Location"] == lesson_url(world, world.reading)


def test_mark_as_done_moves_on_to_the_next_lesson(client, world, seller):
    services.enrol(seller, world.course)

    response = client.post(lesson_url(world, world.reading))

    assert response["Location"] == lesson_url(world, world.quiz)
    assert LessonProgress.objects.get(lesson=world.reading).completed_at is not None


def test_a_learner_who_left_every_store_is_refused_on_the_course_page(client, world, seller):
    """Enrolled, then no longer a seller: opening or finishing a lesson is a 403, nothing saved."""
    services.enrol(seller, world.course)
    seller.memberships.all().delete()
    before = list(LessonProgress.objects.values_list("lesson", "completed_at"))

    opened = client.get(lesson_url(world, world.reading))
    done = client.post(lesson_url(world, world.reading))

    for response in (opened, done):
        assert response.status_code == 403
        assert response.templates[0].name == "academy/pages/course.html"
        assert "The Seller Academy is for sellers" in response.content.decode()
    assert list(LessonProgress.objects.values_list("lesson", "completed_at")) == before == []
    assert Enrolment.objects.get().last_lesson is None


def test_the_quiz_page_grades_explains_and_refuses_unanswered_questions(client, world, seller):
    services.enrol(seller, world.course)
    url = lesson_url(world, world.quiz)
    single, multiple = world.single, world.multiple
    right = world.right_answers()

    missing = client.post(url, {f"question_{single.pk}": right[single.pk][0]})
    wrong = client.post(
        url,
        {
            f"question_{single.pk}": right[single.pk][0],
            f"question_{multiple.pk}": right[multiple.pk][:1],
        },
    )
    passed = client.post(
        url,
        {
            f"question_{single.pk}": right[single.pk][0],
            f"question_{multiple.pk}": right[multiple.pk],
        },
    )

    assert missing.status_code == 400 and "Choose at least one answer." in missing.content.decode()
    assert "Not yet: 50 %" in wrong.content.decode()
    assert "Thank, help, never blame." in wrong.content.decode()
    assert "Passed: 100 %" in passed.content.decode()
    assert Attempt.objects.count() == 2


def test_an_empty_quiz_submission_is_refused_next_to_every_question(client, world, seller):
    services.enrol(seller, world.course)

    response = client.post(lesson_url(world, world.quiz), {})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose an answer." in html and "Choose at least one answer." in html
    assert not Attempt.objects.exists()


def test_quiz_answers_show_in_a_stable_shuffled_order_not_as_written(client, world, seller):
    """Authors write the right answer first; the page must not give that away."""
    services.enrol(seller, world.course)
    question = world.single
    for number in range(3, 9):
        question.choices.create(
            text=f"Option {number}", is_correct=False, explanation="No.", position=number
        )
    written = [str(pk) for pk in question.choices.order_by("position").values_list("pk", flat=True)]

    def shown():
        html = client.get(lesson_url(world, world.quiz)).content.decode()
        name = f'name="question_{question.pk}" value="'
        return [part.split('"', 1)[0] for part in html.split(name)[1:]]

    first = shown()
    assert sorted(first) == sorted(written) and first != written
    assert shown() == first


def test_the_exercise_page_shows_the_coach_findings_then_passes(client, world, seller):
    services.enrol(seller, world.course)
    url = lesson_url(world, world.exercise)
    key = world.review.key

    page = client.get(url).content.decode()
    weak = client.post(url, {"item": key, "text": WEAK_ANSWER}).content.decode()
    good = client.post(url, {"item": key, "text": GOOD_ANSWER}).content.decode()
    empty = client.post(url, {"item": key, "text": ""})

    assert "The dress arrived two weeks late" in page
    assert "Not yet:" in weak and "No defensiveness" in weak and "<mark" in weak
    assert "Passed:" in good and "Compare with a model answer" in good
    assert empty.status_code == 400 and "Write your answer first." in empty.content.decode()


def test_someone_elses_lesson_progress_is_never_shown(client, world, seller):
    other = MembershipFactory().user
    services.enrol(other, world.course)
    services.submit_quiz(other, world.quiz, world.right_answers())

    response = client.get(lesson_url(world, world.quiz))

    assert response.status_code == 302  # not enrolled: back to the course page
    assert Attempt.objects.get().progress.enrolment.user == other


def test_a_certificate_verifies_publicly_by_code(client, world, seller):
    services.enrol(seller, world.course)
    services.complete_lesson(seller, world.reading)
    services.submit_quiz(seller, world.quiz, world.right_answers())
    services.submit_review_answer(seller, world.exercise, world.review, GOOD_ANSWER)
    certificate = Certificate.objects.get()
    client.logout()

    page = client.get(certificate.get_absolute_url())
    by_form = client.get(reverse("academy:verify"), {"code": certificate.code.lower()})
    unknown = client.get(reverse("academy:verify"), {"code": "SPA-NOPE-NOPE"})

    assert page.status_code == 200 and certificate.holder_name in page.content.decode()
    assert "Valid" in page.content.decode()
    assert by_form["Location"] == certificate.get_absolute_url()
    assert unknown.status_code == 404 and "No certificate has the code" in unknown.content.decode()


def test_a_certificate_code_typed_without_dashes_or_with_spaces_verifies(client, world, seller):
    services.enrol(seller, world.course)
    services.complete_lesson(seller, world.reading)
    services.submit_quiz(seller, world.quiz, world.right_answers())
    services.submit_review_answer(seller, world.exercise, world.review, GOOD_ANSWER)
    certificate = Certificate.objects.get()
    compact = certificate.code.replace("-", "").lower()
    spaced = certificate.code.replace("-", " ")

    for typed in (compact, spaced, f" {certificate.code} "):
        response = client.get(reverse("academy:verify"), {"code": typed})
        assert response["Location"] == certificate.get_absolute_url(), typed
    assert client.get(reverse("academy:verify"), {"code": compact[:-1]}).status_code == 404
