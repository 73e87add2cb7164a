import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { useQuery } from 'urql';
import { Alert, Badge, Group, List, Stack, Text, Title } from '@mantine/core';
import type { CheckStatus, PublicCheckFieldsFragment, RelationshipKind } from '../gql/graphql';
import { errorCode } from '../graphql/errors';
import { PublicCheckQuery } from '../graphql/operations/respond';
import { draftFrom } from './answers';
import { browserLanguage, formatDate, messagesFor, type Messages } from './i18n';
import { NominationForm } from './NominationForm';
import { PublicFrame, PublicLoading, PublicMessage } from './PublicFrame';
import { answerText } from './QuestionField';
import { QuestionnaireForm } from './QuestionnaireForm';

const OPEN: CheckStatus[] = ['SENT', 'AWAITING_REFEREES', 'IN_PROGRESS', 'BLOCKED'];

/** Whether the check still takes answers or referees. */
export const isOpen = (status: CheckStatus) => OPEN.includes(status);

function title(check: PublicCheckFieldsFragment, t: Messages): string {
  if (check.purpose === 'CANDIDATE_NOMINATION') return t.titleNomination;
  if (check.purpose === 'REFEREE') return t.titleReferee(check.candidateName);
  return t.titleSelfAssessment;
}

function intro(check: PublicCheckFieldsFragment, t: Messages): string {
  if (check.purpose === 'CANDIDATE_NOMINATION')
    return t.introNomination(check.companyName, check.jobTitle, check.refereesRequired ?? 1);
  if (check.purpose === 'REFEREE') return t.introReferee(check.candidateName, check.companyName, check.jobTitle);
  return t.introSelfAssessment(check.companyName, check.jobTitle);
}

/**
 * The page behind a candidate's or referee's e-mailed link
 * (`/respond/:token`), outside the app and without signing in: the token
 * alone opens it. What it shows depends on the link's purpose: the
 * self-assessment, the referee nomination form, or the referee
 * questionnaire; every text is in the check's language.
 */
export function RespondPage() {
  const { token = '' } = useParams();
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: PublicCheckQuery,
    variables: { token },
    requestPolicy: 'network-only',
  });
  const [latest, setLatest] = useState<PublicCheckFieldsFragment | null>(null);
  const check = latest ?? data?.publicCheck ?? null;
  const t = messagesFor(check?.language ?? browserLanguage());

  useEffect(() => {
    const before = { title: document.title, lang: document.documentElement.lang };
    document.documentElement.lang = t.locale.slice(0, 2);
    if (check) document.title = `${title(check, t)} · ${check.companyName}`;
    return () => {
      document.title = before.title;
      document.documentElement.lang = before.lang;
    };
  }, [check, t]);

  const refresh = () => {
    setLatest(null);
    reexecute({ requestPolicy: 'network-only' });
  };

  if (!check) {
    const code = errorCode(error);
    return (
      <PublicFrame lang={t.locale}>
        {fetching || !error ? (
          <PublicLoading label={t.loading} />
        ) : code === 'EXPIRED' ? (
          <PublicMessage title={t.expiredLinkTitle} body={t.expiredLinkBody} color="yellow" />
        ) : code === 'NOT_FOUND' ? (
          <PublicMessage title={t.unknownLinkTitle} body={t.unknownLinkBody} />
        ) : (
          <PublicMessage title={t.errorTitle} body={t.networkError} onRetry={refresh} retryLabel={t.retry} />
        )}
      </PublicFrame>
    );
  }

  return (
    <PublicFrame company={check.companyName} lang={t.locale}>
      <Stack gap="lg">
        <Stack gap={6}>
          <Title order={2}>{title(check, t)}</Title>
          <Text>{intro(check, t)}</Text>
          <Text size="sm" c="dimmed">
            {t.validUntil(formatDate(check.expiresAt, t))} {t.sentBy(check.companyName)}
          </Text>
        </Stack>
        <PageBody key={check.checkId} check={check} token={token} t={t} onUpdated={setLatest} onRefresh={refresh} />
      </Stack>
    </PublicFrame>
  );
}

interface BodyProps {
  check: PublicCheckFieldsFragment;
  token: string;
  t: Messages;
  onUpdated: (check: PublicCheckFieldsFragment) => void;
  onRefresh: () => void;
}

function PageBody(props: BodyProps) {
  const { check, t } = props;
  const closed = !isOpen(check.status);
  const closedAlert = closed && check.status in t.closed && (
    <Alert color="gray" title={t.closedTitle} data-testid="closed">
      {t.closed[check.status as keyof Messages['closed']]}
    </Alert>
  );

  if (check.purpose === 'CANDIDATE_NOMINATION') {
    if (check.referees.length > 0) return <NamedReferees check={check} t={t} closedAlert={closedAlert} />;
    return closed ? closedAlert : <NominationForm {...props} />;
  }
  if (check.submitted) return <SubmittedAnswers check={check} t={t} />;
  return closed ? closedAlert : <QuestionnaireForm {...props} />;
}

function SubmittedAnswers({ check, t }: { check: PublicCheckFieldsFragment; t: Messages }) {
  const answers = draftFrom(check.answers);
  return (
    <Stack data-testid="submitted">
      <Alert color="green" title={t.submittedTitle} role="status">
        {t.submittedBody}
      </Alert>
      <Title order={4}>{t.yourAnswers}</Title>
      <Stack gap="sm" component="dl" m={0}>
        {check.questions.map((q) => (
          <div key={q.index}>
            <Text component="dt" fw={600}>
              {q.prompt}
            </Text>
            <Text component="dd" m={0} style={{ whiteSpace: 'pre-wrap' }}>
              {answerText(q, answers[q.index], t)}
            </Text>
          </div>
        ))}
      </Stack>
    </Stack>
  );
}

function NamedReferees({
  check,
  t,
  closedAlert,
}: {
  check: PublicCheckFieldsFragment;
  t: Messages;
  closedAlert: React.ReactNode;
}) {
  const relationship = (r: string) => t.relationships[r as RelationshipKind] ?? r;
  return (
    <Stack data-testid="nominated">
      {closedAlert || (
        <Alert color="green" title={t.nominatedTitle} role="status">
          {t.nominatedBody}
        </Alert>
      )}
      <List spacing="xs" listStyleType="none">
        {check.referees.map((r, i) => (
          <List.Item key={i}>
            <Group gap="sm">
              <Text fw={600}>{r.name}</Text>
              <Text c="dimmed" size="sm">
                {relationship(r.relationship)}
              </Text>
              <Badge color={r.answered ? 'green' : 'gray'} variant="light">
                {r.answered ? t.answered : t.waiting}
              </Badge>
            </Group>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}
