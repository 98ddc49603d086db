import { hashPassword } from '../../security/credentials.ts'
import { OperatorError, type Command } from '../command.ts'

export const staffHashPassword: Command = {
  name: 'staff hash-password',
  usage: 'staff hash-password < password.txt',
  summary: "Read a staff member's password from standard input and print the scrypt hash for staff[].passwordHash in the store config.",
  options: {},
  details: 'The password itself is never written anywhere. At least 8 characters.',
  async run() {
    const chunks: Buffer[] = []
    for await (const c of process.stdin) chunks.push(c as Buffer)
    const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
    if (password.length < 8) throw new OperatorError('the password must be at least 8 characters')
    console.log(await hashPassword(password))
    return 0
  },
}
