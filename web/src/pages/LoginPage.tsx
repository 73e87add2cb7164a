import { useState, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useMutation } from 'urql';
import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title, Text } from '@mantine/core';
import type { RedirectState } from '../auth/RequireAuth';
import { useAuth } from '../auth/useAuth';
import { errorField, errorMessage } from '../graphql/errors';
import { LoginMutation } from '../graphql/operations/auth';

export const DEFAULT_HOME = '/integrations';

function returnPath(state: unknown): string {
  const from = (state as RedirectState | null)?.from;
  return from && from.startsWith('/') && !from.startsWith('/login') ? from : DEFAULT_HOME;
}

export function LoginPage() {
  const { token, signIn } = useAuth();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [{ fetching, error }, login] = useMutation(LoginMutation);

  if (token) return <Navigate to={returnPath(location.state)} replace />;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await login({ email: email.trim(), password });
    const session = result.data?.login;
    if (session) signIn(session.token);
  }

  const field = errorField(error);
  const message = error ? errorMessage(error) : null;

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper component="form" onSubmit={onSubmit} withBorder shadow="sm" p="xl" radius="md" w={380} noValidate>
        <Stack>
          <div>
            <Title order={2}>Vouch</Title>
            <Text c="dimmed" size="sm">
              Sign in to your organization
            </Text>
          </div>
          {message && !field && (
            <Alert color="red" role="alert" title="Could not sign in">
              {message}
            </Alert>
          )}
          <TextInput
            label="E-mail"
            type="email"
            name="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={field === 'email' ? message : undefined}
          />
          <PasswordInput
            label="Password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={field === 'password' ? message : undefined}
          />
          <Button type="submit" loading={fetching} disabled={!email || !password}>
            Sign in
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
