import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { Alert, Anchor, Button, Center, Loader, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useAuth } from '../auth/useAuth';
import { errorCode, errorMessage } from '../graphql/errors';
import { messageFor, saveError } from '../graphql/fieldErrors';
import { AcceptInvitationMutation, InvitationQuery } from '../graphql/operations/invitations';

/** The server's minimum (`validate::new_password`). */
export const MIN_PASSWORD = 10;
/** Where a newly signed-in team member lands. */
export const AFTER_ACCEPT = '/checks';

/** What is wrong with the form before asking the server; empty when nothing. */
export function invitationProblems(name: string, password: string, repeat: string): Record<string, string> {
  const problems: Record<string, string> = {};
  if (name.trim() === '') problems.name = 'Enter your name';
  if ([...password].length < MIN_PASSWORD) problems.password = `At least ${MIN_PASSWORD} characters`;
  else if (password !== repeat) problems.repeat = 'The two passwords differ';
  return problems;
}

/**
 * The page behind an invitation e-mail (`/invitation/:token`): a Lever user
 * Vouch invited picks their name and a password, is signed in and lands in
 * the app with the project access they were invited with. The link works
 * once and expires.
 */
export function InvitationPage() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const { signIn } = useAuth();
  const [{ data, error, fetching }] = useQuery({ query: InvitationQuery, variables: { token }, requestPolicy: 'network-only' });
  const [acceptState, accept] = useMutation(AcceptInvitationMutation);
  const [name, setName] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const invitation = data?.invitation;
  const shownName = name ?? invitation?.name ?? '';
  const refused = saveError(acceptState.error);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = invitationProblems(shownName, password, repeat);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    const result = await accept({ token, name: shownName.trim(), password });
    const session = result.data?.acceptInvitation;
    if (session) {
      signIn(session.token);
      navigate(AFTER_ACCEPT, { replace: true });
    }
  }

  let body: React.ReactNode;
  if (!invitation) {
    const code = errorCode(error);
    body =
      fetching || !error ? (
        <Center py="lg">
          <Loader aria-label="Loading" />
        </Center>
      ) : (
        <Stack>
          <Alert
            color={code === 'EXPIRED' ? 'yellow' : 'red'}
            role="alert"
            title={
              code === 'NOT_FOUND'
                ? 'This invitation link does not work'
                : code === 'EXPIRED'
                  ? 'This invitation has expired'
                  : code === 'CONFLICT'
                    ? 'This invitation was already used'
                    : 'Could not open the invitation'
            }
          >
            {code === 'NOT_FOUND'
              ? 'Check that you opened the whole link from the e-mail, or ask an admin of your company in Vouch to invite you again.'
              : errorMessage(error!)}
          </Alert>
          <Anchor component={Link} to="/login">
            Go to sign-in
          </Anchor>
        </Stack>
      );
  } else {
    body = (
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack>
          <Text>
            You are invited to <b>{invitation.organizationName}</b> in Vouch, to follow the reference checks of the
            jobs you hire for. Choose your name and a password to finish.
          </Text>
          <TextInput label="E-mail" value={invitation.email} readOnly description="You sign in with this address." />
          <TextInput
            label="Name"
            required
            value={shownName}
            onChange={(e) => setName(e.currentTarget.value)}
            error={problems.name ?? messageFor(refused, 'name')}
          />
          <PasswordInput
            label="Password"
            required
            autoComplete="new-password"
            description={`At least ${MIN_PASSWORD} characters.`}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={problems.password ?? messageFor(refused, 'password')}
          />
          <PasswordInput
            label="Repeat password"
            required
            autoComplete="new-password"
            value={repeat}
            onChange={(e) => setRepeat(e.currentTarget.value)}
            error={problems.repeat}
          />
          {refused && refused.field !== 'name' && refused.field !== 'password' && (
            <Alert color="red" role="alert">
              {refused.message}{' '}
              {errorCode(acceptState.error) === 'CONFLICT' && (
                <Anchor component={Link} to="/login">
                  Sign in
                </Anchor>
              )}
            </Alert>
          )}
          <Button type="submit" loading={acceptState.fetching}>
            Join and sign in
          </Button>
        </Stack>
      </form>
    );
  }

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={440}>
        <Stack>
          <Title order={2}>{invitation ? `Join ${invitation.organizationName}` : 'Vouch invitation'}</Title>
          {body}
        </Stack>
      </Paper>
    </Center>
  );
}
